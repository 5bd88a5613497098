// `node packages/db/src/state-store/main.ts`: run by setup; ensures the state role,
// schema and table in DATABASE_URL's database with GANTRY_STATE_DB_PASSWORD and prints the URL of
// Pulumi's postgres state backend.
import { parseEnv } from "@gantry/core";
import { z } from "zod";
import { ensureStateStore } from "./state-store.ts";

const env = parseEnv(
  z.object({ DATABASE_URL: z.string().min(1), GANTRY_STATE_DB_PASSWORD: z.string().min(16) }),
);
try {
  process.stdout.write(`${await ensureStateStore(env.DATABASE_URL, env.GANTRY_STATE_DB_PASSWORD)}\n`);
} catch (err) {
  process.stderr.write(
    `state store: ${(err as Error).message}. Give DATABASE_URL a role that may create roles and ` +
      "schemas, or set GANTRY_STATE_BACKEND_URL to a state backend yourself.\n",
  );
  process.exitCode = 1;
}
