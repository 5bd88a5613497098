// Finds operations left running by a worker that died, and recovers them. Every worker sweeps,
// at start-up and then on a timer, so a restarted worker and any surviving one both do it. The
// proof of death is the stack's lock: a live owner holds it for the whole run, so whoever can
// take it knows the owner is gone. An expired lease with the lock still held means the owner is
// alive but not renewing (stuck, or cut off from Postgres); that is reported, never touched.
import type { Logger } from "@gantry/core";
import type { EngineRunDeps } from "../operations/engine-run.ts";
import type { RunningOperations } from "../operations/running-operations.ts";
import { tryLockStack } from "../operations/stack-lock.ts";
import { recoverOperation } from "./recover-operation.ts";

const PARALLEL_RECOVERIES = 4;

export interface SweeperDeps extends EngineRunDeps {
  databaseUrl: string;
  logger: Logger;
  running: Pick<RunningOperations, "has">;
  intervalMs: number;
  onStackFree?: (stackId: string) => void;
}

export function startRecoverySweeper(deps: SweeperDeps): {
  stop: () => Promise<void>;
  sweep: () => Promise<void>;
} {
  let current: Promise<void> | undefined;
  let stopped = false;

  const recoverIfDead = async (op: {
    id: string;
    stackId: string;
    leaseUntil: Date | null;
    workerId: string | null;
  }) => {
    const lock = await tryLockStack(deps.databaseUrl, op.stackId);
    if (!lock) {
      if (op.leaseUntil && op.leaseUntil.getTime() < Date.now()) {
        deps.logger.warn(
          { operationId: op.id, workerId: op.workerId, leaseUntil: op.leaseUntil },
          "operation's lease ran out but its worker still holds the stack; leaving it alone",
        );
      }
      return;
    }
    try {
      // It may have ended between the query and the lock.
      const still = await deps.db.operation.findUnique({ where: { id: op.id }, select: { status: true } });
      if (still?.status === "running") await recoverOperation(deps, op.id);
    } finally {
      await lock.release();
      deps.onStackFree?.(op.stackId);
    }
  };

  const sweepOnce = async () => {
    const running = await deps.db.operation.findMany({
      where: { status: "running" },
      select: { id: true, stackId: true, leaseUntil: true, workerId: true },
      orderBy: { startedAt: "asc" },
    });
    const candidates = running.filter((op) => !deps.running.has(op.id));
    // Stacks are independent: a dead worker's stacks recover side by side, a few at a time.
    for (let i = 0; i < candidates.length && !stopped; i += PARALLEL_RECOVERIES) {
      await Promise.all(candidates.slice(i, i + PARALLEL_RECOVERIES).map(recoverIfDead));
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
