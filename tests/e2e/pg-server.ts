// Direct access to the Postgres server behind the pg-database kind, for looking behind Gantry's
// back: reading what a run did, and holding locks that keep a run busy for as long as a test needs.
import pg from "pg";

function serverUrl(): string {
  const url = process.env.GANTRY_TEST_PG_SERVER_URL;
  if (!url) throw new Error("run through `npm test`: GANTRY_TEST_PG_SERVER_URL is unset");
  return url;
}

export async function admin<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function connectionLimitOf(role: string): Promise<number | undefined> {
  const rows = await admin<{ rolconnlimit: number }>("SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", [
    role,
  ]);
  return rows[0]?.rolconnlimit;
}

/**
 * Holds the role's catalog row in an open transaction: a run that alters the role (a change of
 * its connection limit) waits inside the engine until `release`. Nothing is changed.
 */
export async function holdRole(role: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: serverUrl() });
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
  return {
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

/** Whether some session waits for a lock (a run held by holdRole has reached the role). */
export async function someoneWaitsForALock(): Promise<boolean> {
  const rows = await admin<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
  );
  return (rows[0]?.n ?? 0) > 0;
}
