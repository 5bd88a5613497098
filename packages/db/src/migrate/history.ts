// `_prisma_migrations`, the history table `prisma migrate` keeps, with Prisma's own DDL so a
// database migrated by either tool is accepted by the other. The tests compare it with the table
// Prisma's schema engine creates.
import type pg from "pg";

/** The key of the session advisory lock Prisma's schema engine holds while it migrates. */
export const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export async function ensureHistoryTable(client: pg.ClientBase): Promise<void> {
  await client.query(CREATE_TABLE);
}

export async function readHistory(client: pg.ClientBase): Promise<HistoryRow[]> {
  const { rows } = await client.query<HistoryRow>(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return rows;
}

/**
 * Records a migration the way Prisma does once it succeeded: a uuid id, the file's checksum,
 * started and finished times, no logs, one applied step. Runs inside the migration's transaction,
 * so the record and the schema change land together.
 */
export async function recordApplied(
  client: pg.ClientBase,
  migration: { id: string; name: string; checksum: string },
): Promise<void> {
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
    [migration.id, migration.checksum, migration.name],
  );
}
