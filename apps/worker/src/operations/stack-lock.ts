// One run per stack at a time, across every worker process and machine: a session advisory lock
// on a dedicated connection, held for the whole run. If the worker dies, Postgres ends the session
// and the lock goes with it, so a crash never leaves a stack locked here — and a lock that can be
// taken proves that whoever ran the stack before is gone (crash recovery relies on this).
import pg from "pg";

export interface StackLock {
  release(): Promise<void>;
}

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
      [`stack:${stackId}`],
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
