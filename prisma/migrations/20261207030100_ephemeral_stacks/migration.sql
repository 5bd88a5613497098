-- AlterTable
ALTER TABLE "stacks" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "expiry_blocked_reason" VARCHAR(500),
ADD COLUMN     "expiry_warned_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "stacks_expires_at_idx" ON "stacks"("expires_at");
