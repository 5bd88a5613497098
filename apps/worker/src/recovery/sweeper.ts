// Finds runs whose owner is gone, and recovers them (recover-run.ts). Every worker sweeps, at
// start-up and then on a timer, so a restarted worker and any surviving one both do it. A run is
// taken only when its owner is proven gone on two counts: its lease has run out (by the database's
// clock) and its stack lock is free (the owner's session ended). An owner cut off from Postgres
// kills its own engine before half its lease is over (operations/lease.ts), so by then no engine
// of it is left. An expired lease with the lock still held is an owner that is alive but stuck:
// reported, never touched. The probe is one query on a pooled connection for all runs at once.
import { runningRuns } from "@gantry/db";
import { heldStackLocks } from "../operations/stack-lock.ts";
import { type RecoveryDeps, recoverRun } from "./recover-run.ts";

const PARALLEL_RECOVERIES = 4;

export interface SweeperDeps extends RecoveryDeps {
  intervalMs: number;
  /** Told of an operation recovery put back in line: its job may be gone with its dead worker. */
  onRequeued?: (operationId: string) => void;
}

export function startRecoverySweeper(deps: SweeperDeps): {
  stop: () => Promise<void>;
  sweep: () => Promise<void>;
} {
  let current: Promise<void> | undefined;
  let stopped = false;

  const sweepOnce = async () => {
    const expired = (await runningRuns(deps.db)).filter(
      (run) => run.leaseExpired && !deps.running.has(run.operationId),
    );
    const held = await heldStackLocks(
      deps.db,
      expired.map((run) => run.stackId),
    );
    const dead = expired.filter((run) => {
      if (!held.has(run.stackId)) return true;
      deps.logger.warn(
        { operationId: run.operationId, workerId: run.workerId },
        "operation's lease ran out but its worker still holds the stack; leaving it alone",
      );
      return false;
    });
    // Stacks are independent: a dead worker's stacks recover side by side, a few at a time.
    for (let i = 0; i < dead.length && !stopped; i += PARALLEL_RECOVERIES) {
      await Promise.all(
        dead.slice(i, i + PARALLEL_RECOVERIES).map(async (run) => {
          const recovery = await recoverRun(deps, run, { ownRun: false });
          if (recovery === "requeued") deps.onRequeued?.(run.operationId);
        }),
      );
    }
  };

  const sweep = (): Promise<void> => {
    current ??= sweepOnce()
      .catch((err) => deps.logger.error({ err }, "recovery sweep failed; will retry"))
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), deps.intervalMs);

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
