// `node packages/db/src/migrate/main.ts`: brings DATABASE_URL up to prisma/migrations
// (run by setup on every `npm start` / `npm test`; cheap when nothing is pending).
import { parseEnv } from "@gantry/core";
import { z } from "zod";
import { migrate } from "./migrate.ts";
import { realSchemaEngine } from "./prisma-cli.ts";

const env = parseEnv(
  z.object({
    DATABASE_URL: z.string().min(1),
    PRISMA_SCHEMA_ENGINE_BINARY: z.string().min(1).optional(),
  }),
);
const schemaEngineBinary = realSchemaEngine(env.PRISMA_SCHEMA_ENGINE_BINARY);
const log = (message: string) => console.error(`migrate: ${message}`);
try {
  const applied = await migrate(env.DATABASE_URL, { schemaEngineBinary, log });
  const via = schemaEngineBinary ? "prisma migrate deploy" : "gantry";
  log(applied.length ? `applied ${applied.join(", ")} (${via})` : "database is up to date");
} catch (err) {
  log((err as Error).message);
  process.exitCode = 1;
}
