// The Postgres server engine tests provision on: GANTRY_TEST_PG_SERVER_URL, a superuser URL.
import pg from "pg";

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
