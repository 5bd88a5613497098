// The DIY backend's lock entries left in an end-to-end Gantry's state backend (files under
// .pulumi/locks, or rows of such keys in the Postgres backend's table): none once nothing runs.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { STATE_TABLE } from "@gantry/db/state-store";
import pg from "pg";
import type { Gantry } from "./gantry.ts";

export async function stateLocks(gantry: Gantry): Promise<string[]> {
  const backend = gantry.env.GANTRY_STATE_BACKEND_URL ?? "";
  if (backend.startsWith("postgres://")) {
    const client = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>(
        // Keys start with the URL's path (the database's name): <database>/.pulumi/locks/…
        `SELECT key FROM ${STATE_TABLE} WHERE strpos(key, '.pulumi/locks/') > 0`,
      );
      return rows.map((row) => row.key);
    } finally {
      await client.end();
    }
  }
  if (!backend.startsWith("file://")) throw new Error(`cannot list the locks of ${backend.split(":")[0]}`);
  try {
    return readdirSync(join(backend.slice("file://".length), ".pulumi", "locks"), {
      recursive: true,
      withFileTypes: true,
    })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return []; // no lock was ever taken
  }
}
