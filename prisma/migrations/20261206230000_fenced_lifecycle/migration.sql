-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "fence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "not_before" TIMESTAMPTZ(3),
ADD COLUMN     "stack_status_before" VARCHAR(16);

-- CreateTable
CREATE TABLE "webhook_outbox" (
    "id" BIGSERIAL NOT NULL,
    "notification" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_outbox_pkey" PRIMARY KEY ("id")
);
