-- AlterTable
ALTER TABLE "stacks" ADD COLUMN     "blueprint_version" INTEGER;

-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "blueprint_version" INTEGER;

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "target_version" INTEGER NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'previewing',
    "waves" INTEGER[],
    "current_wave" INTEGER NOT NULL DEFAULT 0,
    "paused_reason" VARCHAR(1000),
    "paused_from" VARCHAR(16),
    "requested_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_stacks" (
    "rollout_id" UUID NOT NULL,
    "stack_id" UUID NOT NULL,
    "wave" INTEGER NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "from_version" INTEGER NOT NULL,
    "preview_operation_id" UUID,
    "up_operation_id" UUID,
    "error" VARCHAR(1000),

    CONSTRAINT "rollout_stacks_pkey" PRIMARY KEY ("rollout_id","stack_id")
);

-- CreateIndex
CREATE INDEX "rollouts_team_id_created_at_idx" ON "rollouts"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "rollouts_status_idx" ON "rollouts"("status");

-- CreateIndex
CREATE INDEX "rollout_stacks_stack_id_idx" ON "rollout_stacks"("stack_id");

-- AddForeignKey
ALTER TABLE "rollout_stacks" ADD CONSTRAINT "rollout_stacks_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_stacks" ADD CONSTRAINT "rollout_stacks_stack_id_fkey" FOREIGN KEY ("stack_id") REFERENCES "stacks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
