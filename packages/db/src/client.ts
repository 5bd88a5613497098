// The Prisma client over node-postgres (Prisma 7's driver adapter: no engine binary needed), and
// the same pool for the API's hottest reads, which skip the ORM (raw-rows.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { preparedStatementName } from "./prepared.ts";

export type Db = PrismaClient & {
  /** Prisma's own connection pool: `$disconnect()` ends it. */
  readonly pool: pg.Pool;
};

export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  const adapter = new PrismaPg(pool, {
    statementNameGenerator: preparedStatementName,
    disposeExternalPool: true,
  });
  return Object.assign(new PrismaClient({ adapter }), { pool });
}
