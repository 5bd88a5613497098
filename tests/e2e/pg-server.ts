// Direct access to the Postgres server behind the pg-database kind, for looking behind Gantry's
// back: reading what a run did, and holding locks that keep a run busy for as long as a test needs.
import pg from "pg";
import { adminQuery, testServerUrl } from "../../packages/stacks/test/support/test-server.ts";

/** One statement as the server's admin (the engine tests' helper). */
export const admin = adminQuery;

export async function connectionLimitOf(role: string): Promise<number | undefined> {
  const rows = await admin<{ rolconnlimit: number }>("SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", [
    role,
  ]);
  return rows[0]?.rolconnlimit;
}

export interface RoleHold {
  /** Whether some session waits on this hold (a run that alters the role has reached it). */
  blocking(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Holds the role's catalog row in an open transaction: a run that alters the role (a change of
 * its connection limit) waits inside the engine until `release`. Nothing is changed.
 */
export async function holdRole(role: string): Promise<RoleHold> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  await client.query("BEGIN");
  const limit = await client.query<{ rolconnlimit: number }>(
    "SELECT rolconnlimit FROM pg_roles WHERE rolname = $1",
    [role],
  );
  if (!limit.rows[0]) throw new Error(`no role ${role}`);
  await client.query(
    `ALTER ROLE ${client.escapeIdentifier(role)} CONNECTION LIMIT ${limit.rows[0].rolconnlimit}`,
  );
  const holder = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
  return {
    // Only sessions blocked by this one count: other test files hold locks on the same server.
    async blocking() {
      const rows = await admin<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
        [holder],
      );
      return (rows[0]?.n ?? 0) > 0;
    },
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}
