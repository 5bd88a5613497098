// Raw statements on either side of the ORM. Outside a transaction they run on the pool itself,
// with node-postgres's own decoding: for the API's hottest reads Prisma's raw-query machinery cost
// a fifth of a request's CPU. Inside a change's transaction they go through Prisma, on the
// transaction's connection, so the change's own writes are seen. Marked statements (PREPARED) are
// prepared under the same name either way.
import pg from "pg";
import type { Prisma } from "./generated/prisma/client.ts";
import { preparedStatementName } from "./prepared.ts";

/** Where a raw statement runs: the pool, or a Prisma transaction (or client). */
export type RawRunner = pg.Pool | Pick<Prisma.TransactionClient, "$queryRaw">;

export async function queryRows<Row extends object>(
  runner: RawRunner,
  statement: Prisma.Sql,
): Promise<Row[]> {
  if (!(runner instanceof pg.Pool)) return runner.$queryRaw<Row[]>(statement);
  const { text, values } = statement;
  const name = preparedStatementName({ sql: text });
  const result = await runner.query<Row>(name ? { name, text, values } : { text, values });
  return result.rows;
}
