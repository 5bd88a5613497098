// Brings a database up to prisma/migrations. With a real Prisma schema engine configured this is
// `prisma migrate deploy`; without one (the engine cannot be downloaded here) Gantry applies the
// same files itself and records them in `_prisma_migrations` as Prisma does, so either tool can
// take over from the other.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { ensureHistoryTable, PRISMA_MIGRATE_LOCK, readHistory, recordApplied } from "./history.ts";
import { checksum, MIGRATIONS_DIR, type Migration, readMigrations } from "./migrations.ts";
import { prismaMigrateDeploy } from "./prisma-cli.ts";

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface MigrateOptions {
  dir?: string;
  /**
   * A real schema engine binary (see `realSchemaEngine`): the work goes to `prisma migrate deploy`,
   * which reads prisma/migrations as prisma.config.ts says (so not with a custom `dir`).
   */
  schemaEngineBinary?: string | undefined;
  log?: (message: string) => void;
}

/**
 * Applies pending migrations in name order, each with its history row in one transaction, and
 * returns their names. Unlike Prisma, a failing migration leaves no "failed" row behind: its
 * transaction takes the script and the record back together, so a fixed file simply runs again.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  if (options.schemaEngineBinary && dir === MIGRATIONS_DIR) {
    return prismaMigrateDeploy(databaseUrl, { schemaEngineBinary: options.schemaEngineBinary });
  }
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "gantry-migrate" });
  await client.connect();
  try {
    // Held for the whole run, as Prisma does: concurrent runs (ours or Prisma's) queue up here and
    // then find the work done.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await ensureHistoryTable(client);
    const pending = pendingMigrations(migrations, await readHistory(client));
    for (const migration of pending) {
      options.log?.(`applying ${migration.name}`);
      await applyOne(client, migration);
    }
    return pending.map((m) => m.name);
  } finally {
    // Ending the session releases the advisory lock.
    await client.end();
  }
}

/** Migrations not yet applied, after refusing a history that Prisma would refuse too. */
export function pendingMigrations(
  migrations: Migration[],
  history: Awaited<ReturnType<typeof readHistory>>,
): Migration[] {
  const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} started but never finished (${failed.logs ?? "no logs"}); ` +
        "repair the database, then mark it with `prisma migrate resolve` or delete its _prisma_migrations row",
    );
  }
  const applied = new Map<string, string>();
  for (const row of history) {
    if (row.rolled_back_at === null) applied.set(row.migration_name, row.checksum);
  }
  return migrations.filter((migration) => {
    const recorded = applied.get(migration.name);
    if (recorded === undefined) return true;
    if (!sameScript(migration.sql, recorded)) {
      throw new MigrationError(
        `migration ${migration.name} was changed after it was applied (its checksum differs from the ` +
          "one recorded in _prisma_migrations); restore the file and put the change in a new migration",
      );
    }
    return false;
  });
}

/** Like Prisma, a script whose only change is its line endings (a git checkout on Windows) still matches. */
function sameScript(sql: string, recorded: string): boolean {
  const lf = sql.replaceAll("\r\n", "\n");
  return [sql, lf, lf.replaceAll("\n", "\r\n")].some((variant) => checksum(variant) === recorded);
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    // No parameters: the simple query protocol runs a whole multi-statement script.
    await client.query(migration.sql);
    await recordApplied(client, { id: randomUUID(), name: migration.name, checksum: migration.checksum });
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw new MigrationError(
      `migration ${migration.name} failed and was rolled back: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
