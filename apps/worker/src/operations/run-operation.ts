// The life of one operation in the worker: wait for its turn on its stack and for its
// dependencies, take the stack's lock, claim it, run the engine in a process of its own under a
// lease, and write the outcome back to Postgres — or put it back in line for a retry.
import type { Logger, OperationKind, StackStatus } from "@gantry/core";
import type { Db } from "@gantry/db";
import {
  type EngineSettings,
  type EngineVerb,
  engineEnvironment,
  failedRun,
  type RunResult,
} from "@gantry/engine";
import { isDriftKind, runDriftOperation } from "../drift/drift-operations.ts";
import type { Notify } from "../webhooks/webhook-events.ts";
import { claimOperation, isFirstInLine } from "./claim.ts";
import { checkDependencies, type DependencyGate } from "./dependency-gate.ts";
import {
  type EngineRunDeps,
  runEngineFor,
  STACK_FOR_RUN,
  type StackForRun,
  stackRequest,
  withEventLog,
} from "./engine-run.ts";
import { holdLease } from "./lease.ts";
import { judge, type RetryPolicy, recordOutcome } from "./outcome.ts";
import type { RunningOperations } from "./running-operations.ts";
import { tryLockStack } from "./stack-lock.ts";
import { statusWhileRunning } from "./transitions.ts";

export interface RunOperationDeps extends EngineRunDeps {
  db: Db;
  databaseUrl: string;
  workerId: string;
  logger: Logger;
  running: RunningOperations;
  /** How long a lease lasts without renewal; it is renewed three times within that. */
  leaseMs: number;
  retry: RetryPolicy;
  /** Told when a run leaves a stack, so the next operation in its line can start at once. */
  onStackFree?: (stackId: string) => void;
  /** Webhook notifications (drift detected/resolved, operation finished); absent: none configured. */
  notify?: Notify;
}

const VERBS: Partial<Record<OperationKind, EngineVerb>> = {
  up: "up",
  preview: "preview",
  refresh: "refresh",
  destroy: "destroy",
};

/** What became of a delivery: handled, or to be delivered again after a pause (and why). */
export type RunOutcome = { state: "done" } | { state: "later"; delayMs: number; reason: string };

/** Pauses before an operation looks again. Its turn usually comes sooner: onStackFree promotes it. */
export const RECHECK = { turn: 30_000, dependencies: 2_000, lock: 1_000 } as const;

export async function runOperation(deps: RunOperationDeps, operationId: string): Promise<RunOutcome> {
  const log = deps.logger.child({ operationId });
  const queued = await deps.db.operation.findUnique({
    where: { id: operationId },
    select: { stackId: true, status: true, kind: true, createdAt: true, stack: { select: { kind: true } } },
  });
  if (queued?.status !== "queued") {
    log.debug({ status: queued?.status }, "operation is not queued; nothing to do");
    return { state: "done" };
  }
  if (!(await isFirstInLine(deps.db, operationId))) {
    return { state: "later", delayMs: RECHECK.turn, reason: "another operation on the stack comes first" };
  }
  // A platform that cannot run this kind at all (no AWS credentials) fails the run at once rather
  // than after a wait. Destroying never needs the dependencies; everything else reads their outputs.
  const unrunnable = platformProblem(deps.engine, queued.stack.kind);
  const gate: DependencyGate = unrunnable
    ? { state: "blocked", message: unrunnable }
    : queued.kind === "destroy"
      ? { state: "open" }
      : await checkDependencies(deps.db, queued.stackId, queued.createdAt);
  if (gate.state === "wait") {
    return {
      state: "later",
      delayMs: RECHECK.dependencies,
      reason: `waiting for ${gate.waitingFor.join(", ")}`,
    };
  }

  const stackId = queued.stackId;
  let lost: Error | undefined;
  const lock = await tryLockStack(deps.databaseUrl, stackId, (err) => {
    lost = err;
    deps.running.stop(operationId, "lost-lock");
  });
  // Held by a run that is finishing or by the recovery of a dead one: look again shortly.
  if (!lock) return { state: "later", delayMs: RECHECK.lock, reason: "the stack is locked" };
  try {
    if (!(await claimOperation(deps.db, operationId, deps.workerId, deps.leaseMs))) {
      const now = await deps.db.operation.findUnique({
        where: { id: operationId },
        select: { status: true },
      });
      return now?.status === "queued"
        ? { state: "later", delayMs: RECHECK.lock, reason: "another operation on the stack comes first" }
        : { state: "done" };
    }
    return await runClaimed(deps, operationId, gate.state === "blocked" ? gate.message : undefined, log);
  } finally {
    if (lost) log.error({ err: lost }, "the stack lock's session broke during the run");
    await lock.release().catch((err) => log.warn({ err }, "could not close the stack lock's session"));
    deps.onStackFree?.(stackId);
  }
}

async function runClaimed(
  deps: RunOperationDeps,
  operationId: string,
  blocked: string | undefined,
  log: Logger,
): Promise<RunOutcome> {
  const running = deps.running.start(operationId);
  const lease = holdLease({
    db: deps.db,
    operationId,
    workerId: deps.workerId,
    leaseMs: deps.leaseMs,
    onCancelRequested: () => deps.running.stop(operationId, "cancel"),
    logger: log,
  });
  try {
    const op = await deps.db.operation.findUniqueOrThrow({
      where: { id: operationId },
      include: { stack: { include: STACK_FOR_RUN } },
    });
    const kind = op.kind as OperationKind;
    const before = op.stack.status as StackStatus;
    await deps.db.stack.update({
      where: { id: op.stackId },
      data: { status: statusWhileRunning(kind, before) },
    });

    const result: RunResult = blocked
      ? failedRun(blocked)
      : await execute(
          deps,
          { operationId, teamId: op.teamId, kind, stack: op.stack, spec: op.spec },
          {
            log,
            signal: running.controller.signal,
          },
        );
    const verdict = judge(result, running.stopReason, op.attempts, deps.retry);
    await recordOutcome(deps.db, { operationId, stackId: op.stackId, kind, before }, result, verdict);
    log.info(
      { kind, status: verdict.status, summary: result.summary, error: verdict.error },
      "operation ran",
    );
    if (verdict.status === "queued") {
      return { state: "later", delayMs: verdict.retryInMs, reason: `retrying: ${verdict.error.message}` };
    }
    await deps.notify?.({ event: "operation.finished", operationId });
    return { state: "done" };
  } finally {
    lease.stop();
    deps.running.end(operationId);
  }
}

/** The engine work of an operation kind: one verb, or the several runs of a drift kind (drift/). */
function execute(
  deps: RunOperationDeps,
  op: { operationId: string; teamId: string; kind: OperationKind; stack: StackForRun; spec: unknown },
  context: { log: Logger; signal: AbortSignal },
): Promise<RunResult> {
  const { kind } = op;
  if (isDriftKind(kind)) {
    return withEventLog(deps, op.operationId, context, (hooks) =>
      runDriftOperation(deps, kind, {
        operation: { id: op.operationId, teamId: op.teamId, stackId: op.stack.id },
        request: stackRequest(op.stack, op.spec),
        hooks,
      }),
    );
  }
  const verb = VERBS[kind];
  if (!verb) return Promise.resolve(failedRun(`operation kind "${kind}" is not supported`));
  return runEngineFor(deps, { operationId: op.operationId, verb, stack: op.stack, spec: op.spec }, context);
}

function platformProblem(engine: EngineSettings, kindName: string): string | undefined {
  try {
    engineEnvironment(engine, kindName);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
