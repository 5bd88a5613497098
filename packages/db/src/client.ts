// The Prisma client over node-postgres (Prisma 7's driver adapter: no engine binary needed), and
// the same pool for the API's hottest reads, which skip the ORM (raw-rows.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { preparedStatementName } from "./prepared.ts";

export type Db = PrismaClient & {
  /** The connection pool Prisma uses too; `$disconnect()` ends it. */
  readonly pool: pg.Pool;
};

export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  // An idle connection the server ends (a restart, a failover, an administrator's terminate) is
  // dropped by pg-pool and the next query opens another; pg-pool also reports it as the pool's
  // 'error', which with no listener is an uncaught exception that ends the process. Prisma listens
  // only while connected (from its first query to $disconnect), so the pool listens itself.
  pool.on("error", () => undefined);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementName }),
  });
  const disconnect = client.$disconnect.bind(client);
  // Prisma ends an adapter's pool only if it ever connected: a process that used only the pool
  // would keep its connections open.
  const $disconnect = async () => {
    await disconnect();
    if (!pool.ending) await pool.end();
  };
  return Object.assign(client, { pool, $disconnect });
}
