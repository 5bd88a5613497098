// Recovery of an operation whose worker died mid-run. Called only with the stack's lock held by
// the caller, which proves the owner gone (stack-lock.ts): its session, and so its lock, ended
// with its process, and its engine processes ended with it (runner/main.ts). The engine then
// clears the stale state lock and pending operations and refreshes; only after that is the
// operation marked interrupted, so a recovery that is itself killed is simply done again.
import type { Logger, OperationKind, StackStatus } from "@gantry/core";
import type { RunResult } from "@gantry/engine";
import { type EngineRunDeps, runEngineFor, STACK_FOR_RUN } from "../operations/engine-run.ts";
import { type RecordedRun, recordOutcome } from "../operations/outcome.ts";

export async function recoverOperation(
  deps: EngineRunDeps & { logger: Logger },
  operationId: string,
): Promise<void> {
  const log = deps.logger.child({ operationId });
  const op = await deps.db.operation.findUniqueOrThrow({
    where: { id: operationId },
    include: { stack: { include: STACK_FOR_RUN } },
  });
  log.warn({ workerId: op.workerId, leaseUntil: op.leaseUntil }, "recovering an operation whose worker died");
  const started = Date.now();
  const result = await runEngineFor(
    deps,
    { operationId, verb: "recover", stack: op.stack, spec: op.stack.spec },
    { log },
  );
  const run: RecordedRun = {
    operationId,
    stackId: op.stackId,
    kind: op.kind as OperationKind,
    before: op.stack.status as StackStatus,
  };
  const message = `interrupted: the worker running it (${op.workerId ?? "unknown"}) stopped before it finished. ${recoveryNote(result)}`;
  // Outputs are the refreshed ones; the change counts stay the interrupted run's own (none known).
  await recordOutcome(
    deps.db,
    run,
    { ...result, ok: false, summary: null },
    { status: "interrupted", error: { message, retryable: true } },
  );
  log.info({ ms: Date.now() - started, ok: result.ok }, "operation recovered");
}

function recoveryNote(result: RunResult): string {
  if (!result.ok) {
    return `Recovery could not clear the stack's state: ${result.error?.message ?? "unknown error"}`;
  }
  const pending = result.recovery?.pendingOperations ?? 0;
  const changed = result.summary ? result.summary.update + result.summary.delete : 0;
  return (
    `Recovery cleared the stack's state lock and ${pending} pending operation${pending === 1 ? "" : "s"}, ` +
    `then refreshed the stack (${changed} resource${changed === 1 ? "" : "s"} differed from the state). ` +
    "The stack is ready for its next operation."
  );
}
