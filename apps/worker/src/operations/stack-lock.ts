// One mutating run per stack at a time, across every worker process and machine: a session
// advisory lock on a dedicated connection. If the worker dies, Postgres ends the session and the
// lock goes with it, so a crash can never leave a stack locked here.
import pg from "pg";

export interface StackLock {
  release(): Promise<void>;
}

export async function lockStack(databaseUrl: string, stackId: string): Promise<StackLock> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "gantry-stack-lock" });
  await client.connect();
  try {
    // Waits while another run holds the stack.
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`stack:${stackId}`]);
  } catch (err) {
    await client.end();
    throw err;
  }
  return {
    async release() {
      // Closing the session releases the lock even if the unlock statement cannot run.
      await client.end();
    },
  };
}
