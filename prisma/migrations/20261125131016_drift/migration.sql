-- AlterTable
ALTER TABLE "stacks" ADD COLUMN     "auto_remediate" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "drift_interval_seconds" INTEGER,
ADD COLUMN     "drift_next_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "remediation_needs_approval" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "drift_reports" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "stack_id" UUID NOT NULL,
    "operation_id" UUID NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "resources" JSONB NOT NULL DEFAULT '[]',
    "remediation" JSONB,
    "error" TEXT,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "drift_reports_operation_id_key" ON "drift_reports"("operation_id");

-- CreateIndex
CREATE INDEX "drift_reports_stack_id_checked_at_idx" ON "drift_reports"("stack_id", "checked_at");

-- CreateIndex
CREATE INDEX "drift_reports_team_id_checked_at_idx" ON "drift_reports"("team_id", "checked_at");

-- CreateIndex
CREATE INDEX "stacks_drift_next_check_at_idx" ON "stacks"("drift_next_check_at");

-- AddForeignKey
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_stack_id_fkey" FOREIGN KEY ("stack_id") REFERENCES "stacks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
