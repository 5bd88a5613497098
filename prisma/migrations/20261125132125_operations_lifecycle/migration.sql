-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3),
ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "team_id" UUID NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "status_code" INTEGER,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("team_id","key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");


-- One running operation per stack, whatever worker or machine runs it (not expressible in schema.prisma).
CREATE UNIQUE INDEX "operations_one_running_per_stack" ON "operations"("stack_id") WHERE "status" = 'running';
