// Whose turn it is on a stack. Operations on one stack run one at a time in the order they were
// accepted: an operation may start only when nothing runs on its stack and nothing older waits.
// The partial unique index operations_one_running_per_stack makes "one running" hold in Postgres
// itself, whatever any worker believes.
import { Prisma } from "../generated/prisma/client.ts";

export type LineDb = Pick<Prisma.TransactionClient, "$queryRaw">;

/** Something runs on operation o's stack, or waits there since before o. */
export const AHEAD_OF_O = Prisma.sql`EXISTS (
  SELECT 1 FROM operations p
   WHERE p.stack_id = o.stack_id AND p.id <> o.id
     AND (p.status = 'running' OR (p.status = 'queued' AND (p.created_at, p.id) < (o.created_at, o.id))))`;

/** Whether the operation is first in its stack's line (nothing running, nothing older queued). */
export async function isFirstInLine(db: LineDb, operationId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ first: boolean }[]>`
    SELECT NOT ${AHEAD_OF_O} AS first FROM operations o WHERE o.id = ${operationId}::uuid`;
  return rows[0]?.first ?? false;
}

/** The next operation waiting on a stack, if any. */
export async function nextInLine(db: LineDb, stackId: string): Promise<string | undefined> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM operations
     WHERE stack_id = ${stackId}::uuid AND status = 'queued'
     ORDER BY created_at, id LIMIT 1`;
  return rows[0]?.id;
}
