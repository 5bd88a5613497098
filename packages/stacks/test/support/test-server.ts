// The Postgres server engine tests provision on: GANTRY_TEST_PG_SERVER_URL, a superuser URL, to
// look behind the engine's back; the engine itself logs in as setup's gantry_engine.
import pg from "pg";

/** The engine's URL on that server (setup's gantry_engine, GANTRY_PG_SERVER_URL): what runs get. */
export function engineServerUrl(): string {
  const url = process.env.GANTRY_PG_SERVER_URL;
  if (!url) throw new Error("GANTRY_PG_SERVER_URL is unset: run the tests with `npm test`");
  return url;
}

export function testServerUrl(): string {
  const url = process.env.GANTRY_TEST_PG_SERVER_URL;
  if (!url) {
    throw new Error(
      "GANTRY_TEST_PG_SERVER_URL is unset: engine tests need a Postgres superuser URL, " +
        "e.g. postgres://postgres@127.0.0.1:55432/postgres",
    );
  }
  return url;
}

/** Runs one statement as the server's admin (the tests' view behind the engine's back). */
export async function adminQuery<T extends pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  database?: string,
): Promise<T[]> {
  const url = new URL(testServerUrl());
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
