-- CreateTable
CREATE TABLE "audit_entries" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "team_id" UUID NOT NULL,
    "actor" VARCHAR(16) NOT NULL,
    "role" VARCHAR(16),
    "action" VARCHAR(64) NOT NULL,
    "method" VARCHAR(8) NOT NULL,
    "route" VARCHAR(200) NOT NULL,
    "target_id" VARCHAR(100),
    "request_id" VARCHAR(64) NOT NULL,
    "status_code" INTEGER NOT NULL,
    "result" VARCHAR(16) NOT NULL,
    "ip" VARCHAR(64),

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_entries_team_id_at_id_idx" ON "audit_entries"("team_id", "at", "id");
