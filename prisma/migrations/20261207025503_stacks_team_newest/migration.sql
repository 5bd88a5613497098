-- CreateIndex
CREATE INDEX "stacks_team_id_created_at_id_idx" ON "stacks"("team_id", "created_at" DESC, "id" DESC);
