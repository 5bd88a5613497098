// Gantry's migrator: idempotent, refuses edited history, safe under concurrency, all-or-nothing
// per migration, and interchangeable with Prisma's own (its schema engine, in the wasm build).
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checksum, MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from "@gantry/db/migrate";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { migrationList, NO_FILTERS, withSchemaEngine } from "../src/migrate/schema-engine.ts";
import { introspect } from "./support/introspect.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
});

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrated: false });
  cleanups.push(db.drop);
  return db;
}

/** A copy of prisma/migrations to change freely. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  finished_at: Date | null;
  applied_steps_count: number;
}

const history = (url: string) =>
  query<HistoryRow>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);

function viaPrisma(url: string) {
  return withSchemaEngine(url, async (engine) =>
    engine.applyMigrations({ migrationsList: await migrationList(), filters: NO_FILTERS }),
  );
}

describe("migrate", () => {
  it("applies every migration once and records it as Prisma does", async () => {
    const db = await emptyDatabase();
    const migrations = await readMigrations();
    expect(await migrate(db.url)).toEqual(migrations.map((m) => m.name));

    const rows = await history(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(checksum(migrations[i]?.sql ?? ""));
      expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it("is a no-op the second time", async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    const [schemaBefore, historyBefore] = [await introspect(db.url), await history(db.url)];
    expect(await migrate(db.url)).toEqual([]);
    expect(await introspect(db.url)).toEqual(schemaBefore);
    expect(await history(db.url)).toEqual(historyBefore);
  });

  it("refuses a migration that was edited after it was applied, and changes nothing", async () => {
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await migrate(db.url, { dir });
    const [first] = await readMigrations(dir);
    if (!first) throw new Error("no migrations");
    await writeFile(
      join(dir, first.name, "migration.sql"),
      `${first.sql}\nALTER TABLE "teams" ADD COLUMN "x" INT;\n`,
    );
    const before = await introspect(db.url);

    await expect(migrate(db.url, { dir })).rejects.toThrow(/was changed after it was applied/);
    await expect(migrate(db.url, { dir })).rejects.toBeInstanceOf(MigrationError);
    expect(await introspect(db.url)).toEqual(before);
  });

  it("applies a failing migration not at all: neither its statements nor a history row", async () => {
    const db = await emptyDatabase();
    const dir = await migrationsCopy();
    await mkdir(join(dir, "99990101000000_broken"));
    await writeFile(
      join(dir, "99990101000000_broken", "migration.sql"),
      `CREATE TABLE "half_done" ("id" INT);\nALTER TABLE "no_such_table" ADD COLUMN "x" INT;\n`,
    );
    await expect(migrate(db.url, { dir })).rejects.toThrow(
      /99990101000000_broken failed and was rolled back/,
    );

    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(
      (await readMigrations()).map((m) => m.name),
    );
    expect(await query(db.url, `SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
  });

  it("lets concurrent runs through one at a time: each migration is applied once", async () => {
    const db = await emptyDatabase();
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrate(db.url)));
    const names = (await readMigrations()).map((m) => m.name);
    expect(runs.flat().sort()).toEqual([...names].sort());
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(names);
  });

  it("refuses to go on after a migration Prisma recorded as failed", async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, applied_steps_count)
       VALUES (gen_random_uuid(), 'x', '99990101000000_failed', 'syntax error', 0)`,
    );
    await expect(migrate(db.url)).rejects.toThrow(
      /99990101000000_failed started but never finished \(syntax error\)/,
    );
  });
});

describe("migrate and Prisma's schema engine", () => {
  it("create the same history table and rows, and the same schema", async () => {
    const [ours, prisma] = await Promise.all([emptyDatabase(), emptyDatabase()]);
    await migrate(ours.url);
    expect((await viaPrisma(prisma.url)).appliedMigrationNames).toEqual(
      (await readMigrations()).map((m) => m.name),
    );

    const table = `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
                     FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;
    const keys = `SELECT conname, contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
                   WHERE conrelid = '"_prisma_migrations"'::regclass ORDER BY conname`;
    const indexes = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '_prisma_migrations' ORDER BY indexname`;
    for (const sql of [table, keys, indexes])
      expect(await query(ours.url, sql)).toEqual(await query(prisma.url, sql));

    const comparable = (rows: HistoryRow[]) =>
      rows.map(({ migration_name, checksum, logs, rolled_back_at, applied_steps_count, finished_at }) => ({
        migration_name,
        checksum,
        logs,
        rolled_back_at,
        applied_steps_count,
        finished: finished_at !== null,
      }));
    expect(comparable(await history(ours.url))).toEqual(comparable(await history(prisma.url)));
    expect(await introspect(ours.url)).toEqual(await introspect(prisma.url));
  });

  it("each accept a database the other migrated", async () => {
    const [ours, prisma] = await Promise.all([emptyDatabase(), emptyDatabase()]);
    await migrate(ours.url);
    await viaPrisma(prisma.url);
    expect((await viaPrisma(ours.url)).appliedMigrationNames).toEqual([]);
    expect(await migrate(prisma.url)).toEqual([]);
  });

  it("take turns under Prisma's advisory lock when they run at once", async () => {
    const db = await emptyDatabase();
    const [ourRun, prismaRun] = await Promise.all([migrate(db.url), viaPrisma(db.url)]);
    const names = (await readMigrations()).map((m) => m.name);
    expect([...ourRun, ...prismaRun.appliedMigrationNames].sort()).toEqual(names);
    expect((await history(db.url)).map((r) => r.migration_name)).toEqual(names);
  });
});
