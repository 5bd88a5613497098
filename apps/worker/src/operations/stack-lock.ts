// One run per stack at a time, across every worker process and machine: a session advisory lock
// on a dedicated connection, held for the whole run. If the worker dies, Postgres ends the session
// and the lock goes with it, so a crash never leaves a stack locked here. A free lock is half of
// recovery's proof that a run's owner is gone; the other half is its expired lease (recovery/).
import type { Db } from "@gantry/db";
import pg from "pg";

export interface StackLock {
  release(): Promise<void>;
}

/** The lock's key: one bigint per stack. */
const keyOf = (stackId: string) => `stack:${stackId}`;

/** Takes the stack's lock if it is free; null when another session holds it. Never waits. */
export async function tryLockStack(
  databaseUrl: string,
  stackId: string,
  /** Called if the session breaks while the lock is held: the run has lost its guard. */
  onLost: (err: Error) => void = () => undefined,
): Promise<StackLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "gantry-stack-lock" });
  client.on("error", onLost);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
      [keyOf(stackId)],
    );
    if (rows[0]?.locked) {
      // Closing the session releases the lock even if an unlock statement could not run.
      return { release: () => client.end() };
    }
  } catch (err) {
    await client.end();
    throw err;
  }
  await client.end();
  return null;
}

/**
 * Which of these stacks' locks some session holds, in one query on a pooled connection (pg_locks
 * shows every session's advisory locks: a bigint key as classid, its high half, and objid).
 */
export async function heldStackLocks(db: Pick<Db, "$queryRaw">, stackIds: string[]): Promise<Set<string>> {
  if (stackIds.length === 0) return new Set();
  const rows = await db.$queryRaw<{ stackId: string }[]>`
    SELECT s.id AS "stackId"
      FROM unnest(${stackIds}::text[]) AS s(id)
      JOIN pg_locks l
        ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('stack:' || s.id, 0)`;
  return new Set(rows.map((row) => row.stackId));
}
