// `node --import tsx packages/db/src/migrate/main.ts`: applies pending migrations to DATABASE_URL.
import { parseEnv } from "@gantry/core";
import { z } from "zod";
import { migrate } from "./migrate.ts";

const { DATABASE_URL } = parseEnv(z.object({ DATABASE_URL: z.string().min(1) }));
const applied = await migrate(DATABASE_URL);
console.log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database is up to date");
