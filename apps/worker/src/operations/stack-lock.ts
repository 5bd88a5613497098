// One run per stack at a time, across every worker process and machine: a session advisory lock
// on a dedicated connection, held for the whole run. If the worker dies, Postgres ends the session
// and the lock goes with it, so a crash never leaves a stack locked here. A free lock is half of
// recovery's proof that a run's owner is gone; the other half is its expired lease (recovery/).
import type { Db } from "@gantry/db";
import pg from "pg";

export interface StackLock {
  release(): Promise<void>;
}

/** A session that can take one stack's lock; connected ahead, while a run checks its turn. */
export interface LockSession {
  /** Takes the stack's lock if it is free; null when another session holds it. Never waits. */
  tryLock(stackId: string): Promise<StackLock | null>;
  /** Ends the session, and with it the lock if it holds it. Closing again does nothing. */
  close(): Promise<void>;
}

/** The lock's key: one bigint per stack. */
const keyOf = (stackId: string) => `stack:${stackId}`;

export async function openLockSession(
  databaseUrl: string,
  /** Called if the session breaks while the lock is held: the run has lost its guard. */
  onLost: (err: Error) => void = () => undefined,
): Promise<LockSession> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "gantry-stack-lock" });
  let held = false;
  client.on("error", (err) => {
    if (held) onLost(err);
  });
  let closed: Promise<void> | undefined;
  // Closing the session releases the lock even if an unlock statement could not run.
  const close = () => {
    closed ??= client.end();
    return closed;
  };
  try {
    await client.connect();
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return {
    async tryLock(stackId) {
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
          [keyOf(stackId)],
        );
        held = rows[0]?.locked === true;
      } catch (err) {
        await close().catch(() => undefined);
        throw err;
      }
      return held ? { release: close } : null;
    },
    close,
  };
}

/** Takes the stack's lock on a session of its own if it is free; null when another session holds it. */
export async function tryLockStack(
  databaseUrl: string,
  stackId: string,
  onLost: (err: Error) => void = () => undefined,
): Promise<StackLock | null> {
  const session = await openLockSession(databaseUrl, onLost);
  const lock = await session.tryLock(stackId);
  if (!lock) await session.close();
  return lock;
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
