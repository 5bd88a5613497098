// The Prisma client over node-postgres (Prisma 7's driver adapter: no engine binary needed).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { preparedStatementName } from "./prepared.ts";

export type Db = PrismaClient;

export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.poolSize ?? 10 },
    { statementNameGenerator: preparedStatementName },
  );
  return new PrismaClient({ adapter });
}
