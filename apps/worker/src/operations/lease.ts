// While an operation runs, its worker renews the operation's lease and reads whether someone asked
// to cancel it (the notification on CANCEL_CHANNEL is the fast path; this is the one that cannot
// be missed). A lease that has run out shows, in the API and to other workers, that the owner has
// stopped renewing; whether it is dead is decided by its stack lock (recovery/).
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";

export interface LeaseOptions {
  db: Pick<Db, "$queryRaw">;
  operationId: string;
  workerId: string;
  leaseMs: number;
  onCancelRequested: () => void;
  logger: Logger;
}

export function holdLease(options: LeaseOptions): { stop: () => void } {
  const { db, operationId, workerId, leaseMs } = options;
  const renew = async () => {
    try {
      // One statement a beat: renew, and read back whether a cancel was asked for.
      const rows = await db.$queryRaw<{ cancel_requested_at: Date | null }[]>`
        UPDATE operations SET lease_until = now() + ${leaseMs} * interval '1 millisecond'
         WHERE id = ${operationId}::uuid AND worker_id = ${workerId} AND status = 'running'
        RETURNING cancel_requested_at`;
      if (rows[0]?.cancel_requested_at) options.onCancelRequested();
    } catch (err) {
      // Postgres briefly unreachable: the lease is renewed on the next beat, well before it runs out.
      options.logger.warn({ err, operationId }, "could not renew the operation's lease");
    }
  };
  void renew(); // a cancel that came before the run started is seen at once
  const timer = setInterval(() => void renew(), Math.max(250, Math.floor(leaseMs / 3)));
  return { stop: () => clearInterval(timer) };
}
