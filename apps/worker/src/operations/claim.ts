// Whose turn it is on a stack. Operations on one stack run one at a time in the order they were
// accepted: an operation may start only when nothing runs on its stack and nothing older waits.
// The partial unique index operations_one_running_per_stack makes "one running" hold in Postgres
// itself, whatever any worker believes.
import { type Db, Prisma } from "@gantry/db";

export type ClaimDb = Pick<Db, "$queryRaw">;

/** Something runs on operation o's stack, or waits there since before o. */
const AHEAD_OF_O = Prisma.sql`EXISTS (
  SELECT 1 FROM operations p
   WHERE p.stack_id = o.stack_id AND p.id <> o.id
     AND (p.status = 'running' OR (p.status = 'queued' AND (p.created_at, p.id) < (o.created_at, o.id))))`;

/**
 * Marks a queued operation running, for this worker, if it is its stack's turn. Returns false
 * when it is not (or no longer) queued or not its turn; the caller holds the stack's lock.
 */
export async function claimOperation(
  db: ClaimDb,
  operationId: string,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  try {
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE operations o
         SET status = 'running', started_at = now(), worker_id = ${workerId},
             lease_until = now() + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
       WHERE o.id = ${operationId}::uuid AND o.status = 'queued' AND NOT ${AHEAD_OF_O}
      RETURNING o.id::text AS id`;
    return rows.length === 1;
  } catch (err) {
    // Another worker claimed an operation of the same stack at the same instant: not our turn.
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Whether the operation is first in its stack's line (nothing running, nothing older queued). */
export async function isFirstInLine(db: ClaimDb, operationId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ first: boolean }[]>`
    SELECT NOT ${AHEAD_OF_O} AS first FROM operations o WHERE o.id = ${operationId}::uuid`;
  return rows[0]?.first ?? false;
}

/** The next operation waiting on a stack, if any. */
export async function nextInLine(db: ClaimDb, stackId: string): Promise<string | undefined> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM operations
     WHERE stack_id = ${stackId}::uuid AND status = 'queued'
     ORDER BY created_at, id LIMIT 1`;
  return rows[0]?.id;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e.code === "23505" || e.meta?.code === "23505" || /23505|unique constraint/i.test(e.message ?? "");
}
