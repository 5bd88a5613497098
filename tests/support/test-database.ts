// A fresh, migrated database per test file (or per test) on the server setup started, dropped
// afterwards, so tests never see each other's rows and every run starts clean. Databases are
// named gantry_test_<run pid>_<random>; the global setup drops those of runs no longer alive, and
// the databases and roles their end-to-end teams (e2e-<run pid>-…) had provisioned.
import { randomBytes } from "node:crypto";
import { migrate } from "@gantry/db/migrate";
import pg from "pg";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Admin URL of the test server (`GANTRY_TEST_PG_SERVER_URL`, written by setup). */
export function testServerUrl(): string {
  const url = process.env.GANTRY_TEST_PG_SERVER_URL;
  if (!url) throw new Error("GANTRY_TEST_PG_SERVER_URL is unset: run the tests with `npm test`");
  return url;
}

async function onServer<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Creates a database; migrated to prisma/migrations unless `migrated: false` (an empty one). */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `gantry_test_${testRun()}_${randomBytes(4).toString("hex")}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  const database = {
    name,
    url: url.toString(),
    drop: async () => {
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
  if (options.migrated !== false) {
    await migrate(database.url).catch(async (err: unknown) => {
      await database.drop();
      throw err;
    });
  }
  return database;
}

/** This test run's id (the pid of its vitest process), which names what the run creates. */
export function testRun(): string {
  return process.env.GANTRY_TEST_RUN ?? String(process.pid);
}

/** Whether a server URL points at this machine, where a pid in a name says whether its run lives. */
export function onThisMachine(url: string): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
}

/** Whether the process `pid` (of this machine) still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Drops test databases whose run (by the pid in their name) has ended without dropping them, and
 * the pg-database stacks' databases and roles (g_e2e_<pid>_…) of such runs' end-to-end teams.
 * Only on a server of this machine: a pid says nothing about another machine's runs.
 */
export async function dropAbandonedTestDatabases(): Promise<void> {
  if (!onThisMachine(testServerUrl())) return;
  const owner = /^(?:gantry_test|g_e2e)_([0-9]+)_/;
  const abandoned = (name: string) => {
    const pid = owner.exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid));
  };
  const databases = await onServer<{ name: string }>(
    `SELECT datname AS name FROM pg_database WHERE datname ~ '^(gantry_test|g_e2e)_[0-9]+_'`,
  );
  for (const { name } of databases.filter((d) => abandoned(d.name)))
    await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const roles = await onServer<{ name: string }>(
    `SELECT rolname AS name FROM pg_roles WHERE rolname ~ '^g_e2e_[0-9]+_'`,
  );
  for (const { name } of roles.filter((r) => abandoned(r.name)))
    await onServer(`DROP ROLE IF EXISTS "${name}"`);
}
