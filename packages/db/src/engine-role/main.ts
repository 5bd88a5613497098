// `node packages/db/src/engine-role/main.ts`: run by setup; ensures the engine role on
// DATABASE_URL's server with GANTRY_ENGINE_DB_PASSWORD and prints the engine's URL.
import { parseEnv } from "@gantry/core";
import { z } from "zod";
import { ensureEngineRole } from "./engine-role.ts";

const env = parseEnv(
  z.object({ DATABASE_URL: z.string().min(1), GANTRY_ENGINE_DB_PASSWORD: z.string().min(16) }),
);
try {
  process.stdout.write(`${await ensureEngineRole(env.DATABASE_URL, env.GANTRY_ENGINE_DB_PASSWORD)}\n`);
} catch (err) {
  process.stderr.write(
    `engine role: ${(err as Error).message}. Give DATABASE_URL a superuser (or a role with CREATEROLE ` +
      "and CREATEDB that may create schemas in database postgres), or set GANTRY_PG_SERVER_URL yourself.\n",
  );
  process.exitCode = 1;
}
