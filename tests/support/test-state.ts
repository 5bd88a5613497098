// The state backend of an end-to-end Gantry: as setup made it (Postgres, role gantry_state), but in
// the Gantry's own database (the test's, or one on a server of the test's own), so its stacks'
// state is dropped with it and goes down with it. A backend set up as file:// is kept per test
// under the test's data dir; s3:// is used as it is.
import { ensureStateSchema, ensureStateStore, STATE_ROLE } from "@gantry/db/state-store";
import pg from "pg";

export async function testStateBackend(databaseUrl: string, dataDir: string): Promise<string> {
  const configured = process.env.GANTRY_STATE_BACKEND_URL;
  if (!configured || configured.startsWith("file://")) return `file://${dataDir}/state`;
  if (!configured.startsWith("postgres://")) return configured;
  const password = decodeURIComponent(new URL(configured).password);
  // The suite's server has the role (setup made it; altering it from parallel files would clash);
  // a server of the test's own gets it here.
  if (await hasStateRole(databaseUrl)) {
    await ensureStateSchema(databaseUrl);
    const url = new URL(configured);
    const gantry = new URL(databaseUrl);
    url.host = gantry.host;
    url.pathname = gantry.pathname;
    return url.toString();
  }
  return ensureStateStore(databaseUrl, password);
}

async function hasStateRole(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [STATE_ROLE])).rowCount === 1;
  } finally {
    await client.end();
  }
}
