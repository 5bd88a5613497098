// Recovery of a run whose engine is gone: its worker died (SIGKILL, a lost machine), or lost the
// session guarding its stack and killed its own engine. Recovery takes the stack's lock and the
// run (a new fence, so the old owner can write nothing more), has the engine clear the stale state
// lock and pending operations and refresh, and then puts the operation back in line to run again
// by itself — unless a cancel was asked for or its attempts are spent, when it ends. A recovery
// that is itself cut off is simply done again: nothing is written until the state is clear.
import type { Logger } from "@gantry/core";
import { finishRun, type RunningRun, type RunOwner, requeueRun, takeOverRun } from "@gantry/db";
import type { RunResult } from "@gantry/engine";
import { type EngineRunDeps, runEngineFor } from "../operations/engine-run.ts";
import type { RetryPolicy } from "../operations/outcome.ts";
import { withOwnedRun } from "../operations/owned-run.ts";
import { persist } from "../operations/persist.ts";
import type { RunningOperations } from "../operations/running-operations.ts";
import { tryLockStack } from "../operations/stack-lock.ts";

export interface RecoveryDeps extends EngineRunDeps {
  databaseUrl: string;
  workerId: string;
  leaseMs: number;
  retry: RetryPolicy;
  running: RunningOperations;
  webhooks: boolean;
  logger: Logger;
  /** Told when recovery leaves a stack, so its next operation can start at once. */
  onStackFree?: (stackId: string) => void;
}

export type Recovery = "requeued" | "ended" | "skipped";

/**
 * Recovers `run`. `ownRun`: the caller is its owner, who killed its engine itself; anyone else
 * may act only once the owner's lease has run out. "skipped": someone else holds the stack or
 * took the run, or clearing the state failed for a reason worth another try (the next sweep).
 */
export async function recoverRun(
  deps: RecoveryDeps,
  run: Pick<RunningRun, "operationId" | "stackId" | "fence" | "workerId">,
  how: { ownRun: boolean },
): Promise<Recovery> {
  const { operationId } = run;
  const log = deps.logger.child({ operationId });
  const lock = await tryLockStack(deps.databaseUrl, run.stackId, () =>
    deps.running.stop(operationId, "lost-ownership"),
  );
  if (!lock) return "skipped";
  try {
    const owner = await takeOverRun(deps.db, {
      operationId,
      fence: run.fence,
      workerId: deps.workerId,
      leaseMs: deps.leaseMs,
      leaseMustHaveExpired: !how.ownRun,
    });
    if (!owner) return "skipped";
    return await recoverOwned(deps, owner, run.workerId, log);
  } finally {
    await lock.release().catch((err) => log.warn({ err }, "could not close the stack lock's session"));
    deps.onStackFree?.(run.stackId);
  }
}

async function recoverOwned(
  deps: RecoveryDeps,
  owner: RunOwner,
  previousWorker: string | null,
  log: Logger,
): Promise<Recovery> {
  const { operationId } = owner;
  // A cancel asked for now does not stop the recovery: it is read from the row once the state is clear.
  return withOwnedRun(deps, owner, { log, stopOnCancel: false }, async ({ running, op }) => {
    log.warn({ previousWorker, attempts: op.attempts }, "recovering an operation whose run was lost");
    const started = Date.now();
    const result = await runEngineFor(
      deps,
      { operationId, verb: "recover", stack: op.stack, spec: op.stack.spec },
      { log, kill: running.killer.signal },
    );
    if (running.stopReason === "lost-ownership") return "skipped";
    if (!result.ok && result.error?.retryable) {
      log.warn({ error: result.error }, "recovery could not clear the stack's state; the next sweep will");
      return "skipped";
    }
    const interrupted = `interrupted: the worker running it (${previousWorker ?? "unknown"}) stopped before it finished. ${recoveryNote(result)}`;
    const outputs = result.ok ? result.outputs : undefined;
    const fresh = await deps.db.operation.findUniqueOrThrow({
      where: { id: operationId },
      select: { cancelRequestedAt: true },
    });
    if (result.ok && !fresh.cancelRequestedAt && op.attempts < deps.retry.maxAttempts) {
      const message = `${interrupted} It runs again (attempt ${op.attempts + 1} of ${deps.retry.maxAttempts}).`;
      const retry = { error: { message, retryable: true }, delayMs: 0, outputs };
      const requeued = await persist("the recovered operation", () => requeueRun(deps.db, owner, retry), log);
      log.info({ ms: Date.now() - started, requeued }, "operation recovered; it runs again");
      return requeued ? "requeued" : "skipped";
    }
    const end = fresh.cancelRequestedAt
      ? { status: "cancelled" as const, error: { message: `cancelled: ${interrupted}`, retryable: false } }
      : { status: "interrupted" as const, error: { message: interrupted, retryable: true } };
    const ended = await persist(
      "the recovered operation",
      () => finishRun(deps.db, owner, { ...end, outputs }, { announce: deps.webhooks }),
      log,
    );
    log.info({ ms: Date.now() - started, status: end.status }, "operation recovered");
    return ended ? "ended" : "skipped";
  });
}

function recoveryNote(result: RunResult): string {
  if (!result.ok) {
    return `Recovery could not clear the stack's state: ${result.error?.message ?? "unknown error"}`;
  }
  const pending = result.recovery?.pendingOperations ?? 0;
  const changed = result.summary ? result.summary.update + result.summary.delete : 0;
  return (
    `Recovery cleared the stack's state lock and ${pending} pending operation${pending === 1 ? "" : "s"}, ` +
    `then refreshed the stack (${changed} resource${changed === 1 ? "" : "s"} differed from the state).`
  );
}
