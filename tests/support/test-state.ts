// The state backend of an end-to-end Gantry: as setup made it (Postgres, role gantry_state), but in
// the test's own database, so its stacks' state is dropped with it. A backend set up as file:// or
// s3:// is kept per test under the test's data dir (file) or as it is (s3).
import { ensureStateSchema } from "@gantry/db/state-store";

export async function testStateBackend(databaseUrl: string, dataDir: string): Promise<string> {
  const configured = process.env.GANTRY_STATE_BACKEND_URL;
  if (!configured || configured.startsWith("file://")) return `file://${dataDir}/state`;
  if (!configured.startsWith("postgres://")) return configured;
  await ensureStateSchema(databaseUrl);
  const url = new URL(configured);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}
