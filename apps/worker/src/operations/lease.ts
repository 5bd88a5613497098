// While an operation runs, its worker renews the run's lease and reads whether someone asked to
// cancel it (the notification on CANCEL_CHANNEL is the fast path; this is the one that cannot be
// missed). The lease is also the owner's own deadline: recovery may take a run over once its
// lease has run out (and its stack lock is free), so an owner that has not renewed for half a
// lease — Postgres unreachable, or the run taken over — stops its engine before that can happen.
import type { Logger } from "@gantry/core";
import { type Db, type RunOwner, renewLease } from "@gantry/db";

export interface LeaseOptions {
  db: Pick<Db, "$queryRaw">;
  owner: RunOwner;
  leaseMs: number;
  onCancelRequested: () => void;
  /** The run is no longer safely this worker's: its engine must stop at once. Called once. */
  onLost: (why: string) => void;
  logger: Logger;
}

export function holdLease(options: LeaseOptions): { stop: () => void } {
  const { db, owner, leaseMs } = options;
  // When the last renewal that worked was sent: the lease holds until at least leaseMs after it.
  let renewedAt = Date.now();
  let lost = false;
  const lose = (why: string) => {
    if (lost) return;
    lost = true;
    clearInterval(timer);
    options.logger.error({ operationId: owner.operationId, why }, "lost the run; stopping its engine");
    options.onLost(why);
  };
  let inFlight = false;
  const renew = async () => {
    if (inFlight) return; // one that hangs (Postgres unreachable) is not joined by more
    inFlight = true;
    const sentAt = Date.now();
    try {
      const lease = await renewLease(db, owner, leaseMs);
      if (!lease.held) return lose("another worker took the run over, or it ended");
      renewedAt = sentAt;
      if (lease.cancelRequested) options.onCancelRequested();
    } catch (err) {
      options.logger.warn({ err, operationId: owner.operationId }, "could not renew the operation's lease");
    } finally {
      inFlight = false;
    }
  };
  const beat = () => {
    if (Date.now() - renewedAt > leaseMs / 2) return lose("could not renew its lease for half of it");
    void renew();
  };
  void renew(); // a cancel that came before the run started is seen at once
  // Four beats a lease: a renewal that fails once is followed by another well before the deadline.
  const timer = setInterval(beat, Math.max(75, Math.floor(leaseMs / 4)));
  return { stop: () => clearInterval(timer) };
}
