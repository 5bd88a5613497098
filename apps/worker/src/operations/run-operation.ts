// The life of one operation in the worker: wait for its turn on its stack, its retry pause and its
// dependencies, take the stack's lock, claim it, run the engine in a process of its own under a
// lease, and have the lifecycle (@gantry/db) write the outcome — or put it back in line for a retry.
import type { ApprovalRecord, Logger, OperationKind } from "@gantry/core";
import {
  awaitApproval,
  type ClaimedRun,
  claimOperation,
  clearSecretInputs,
  type Db,
  finishRun,
  isFirstInLine,
  type PendingSecretInputs,
  pendingSecretInputs,
  type RunOwner,
  requeueRun,
  secretInputKey,
  UnopenableSecretInputs,
} from "@gantry/db";
import {
  type EngineSettings,
  type EngineVerb,
  engineEnvironment,
  failedRun,
  type RunResult,
} from "@gantry/engine";
import { type GatedOutcome, runGated } from "../approvals/gated-run.ts";
import { isDriftKind, runDriftOperation } from "../drift/drift-operations.ts";
import type { OperationMetrics } from "../metrics/operation-metrics.ts";
import { checkDependencies, type DependencyGate } from "./dependency-gate.ts";
import {
  type EngineRunDeps,
  releasedAfter,
  runEngineFor,
  type StackForRun,
  stackRequest,
  withEventLog,
} from "./engine-run.ts";
import { judge, type RetryPolicy } from "./outcome.ts";
import { withOwnedRun } from "./owned-run.ts";
import { persist } from "./persist.ts";
import type { RunningOperations } from "./running-operations.ts";
import { type LockSession, openLockSession } from "./stack-lock.ts";

export interface RunOperationDeps extends EngineRunDeps {
  db: Db;
  databaseUrl: string;
  workerId: string;
  logger: Logger;
  running: RunningOperations;
  /** How long a lease lasts without renewal; it is renewed four times within that. */
  leaseMs: number;
  retry: RetryPolicy;
  /** Told when a run leaves a stack, so the next operation in its line can start at once. */
  onStackFree?: (stackId: string) => void;
  /** Whether webhook receivers are configured (notifications are written to the webhook outbox). */
  webhooks: boolean;
  /** How long an operation waits for an approval before it expires. */
  approvalTtlMs: number;
  /**
   * Recovers a run this worker lost (its engine already killed): clears the stack's state and puts
   * the operation back in line. Returns whether it did; if not, recovery on any worker will.
   */
  recoverLostRun: (owner: RunOwner & { stackId: string }) => Promise<boolean>;
  /** Dispatch latency, run durations and outcomes for Prometheus (absent: not measured). */
  metrics?: OperationMetrics;
}

/** Operation kinds whose runs run the program, which needs the secret inputs' values. */
const PROGRAM_KINDS: readonly OperationKind[] = ["up", "preview", "remediate"];

const VERBS: Partial<Record<OperationKind, EngineVerb>> = {
  up: "up",
  preview: "preview",
  refresh: "refresh",
  destroy: "destroy",
};

/**
 * What became of a delivery: handled, or to be delivered again after a pause (and why).
 * `stackId`: the pause waits for the stack (its turn, its lock), which its holder's onStackFree
 * cuts short; the processor looks once more after the job is paused (processor.ts).
 */
export type RunOutcome =
  | { state: "done" }
  | { state: "later"; delayMs: number; reason: string; stackId?: string };

/** Pauses before an operation looks again. Its turn usually comes sooner: onStackFree promotes it. */
export const RECHECK = { turn: 30_000, dependencies: 2_000, lock: 1_000 } as const;

export async function runOperation(deps: RunOperationDeps, operationId: string): Promise<RunOutcome> {
  const log = deps.logger.child({ operationId });
  // The stack lock's session connects while the operation's turn is checked: a new session costs
  // about as much as those reads, and nearly every delivery goes on to take the lock. Whatever
  // happens, the session ends with the delivery (a run releases its lock sooner, below).
  const session = openLockSession(deps.databaseUrl, (err) => {
    log.error({ err }, "the stack lock's session broke during the run");
    deps.running.stop(operationId, "lost-ownership");
  });
  session.catch(() => undefined); // awaited below, or not needed
  try {
    return await runInLine(deps, operationId, session, log);
  } finally {
    await session
      .then((opened) => opened.close())
      .catch((err) => log.warn({ err }, "could not close the stack lock's session"));
  }
}

async function runInLine(
  deps: RunOperationDeps,
  operationId: string,
  session: Promise<LockSession>,
  log: Logger,
): Promise<RunOutcome> {
  // Both read at once: nearly every delivery finds its operation queued and first in line.
  const [queued, first] = await Promise.all([
    deps.db.operation.findUnique({
      where: { id: operationId },
      select: {
        stackId: true,
        status: true,
        kind: true,
        createdAt: true,
        notBefore: true,
        spec: true,
        stack: { select: { kind: true } },
      },
    }),
    isFirstInLine(deps.db, operationId),
  ]);
  if (queued?.status !== "queued") {
    log.debug({ status: queued?.status }, "operation is not queued; nothing to do");
    return { state: "done" };
  }
  const pause = (queued.notBefore?.getTime() ?? 0) - Date.now();
  if (pause > 0) return { state: "later", delayMs: pause, reason: "waiting out its retry backoff" };
  if (!first) {
    return {
      state: "later",
      delayMs: RECHECK.turn,
      reason: "another operation on the stack comes first",
      stackId: queued.stackId,
    };
  }
  // A platform that cannot run this kind at all (no AWS credentials) fails the run at once rather
  // than after a wait. Destroying never needs the dependencies; everything else reads their outputs.
  const unrunnable = platformProblem(deps.engine, queued.stack.kind, queued.spec);
  const gate: DependencyGate = unrunnable
    ? { state: "blocked", message: unrunnable }
    : queued.kind === "destroy"
      ? { state: "open" }
      : await checkDependencies(deps.db, {
          stackId: queued.stackId,
          stackKind: queued.stack.kind,
          spec: queued.spec,
          queuedAt: queued.createdAt,
        });
  if (gate.state === "wait") {
    return {
      state: "later",
      delayMs: RECHECK.dependencies,
      reason: `waiting for ${gate.waitingFor.join(", ")}`,
    };
  }

  const stackId = queued.stackId;
  const lock = await (await session).tryLock(stackId);
  // Held by a run that is finishing or by the recovery of a dead one: look again shortly.
  if (!lock) return { state: "later", delayMs: RECHECK.lock, reason: "the stack is locked", stackId };
  let lost: ClaimedRun | undefined;
  try {
    const claimed = await claimOperation(deps.db, {
      operationId,
      workerId: deps.workerId,
      leaseMs: deps.leaseMs,
    });
    if (!claimed) {
      const now = await deps.db.operation.findUnique({
        where: { id: operationId },
        select: { status: true },
      });
      return now?.status === "queued"
        ? {
            state: "later",
            delayMs: RECHECK.lock,
            reason: "another operation on the stack comes first",
            stackId,
          }
        : { state: "done" };
    }
    deps.metrics?.claimed({
      kind: claimed.kind,
      stackKind: queued.stack.kind,
      attempts: claimed.attempts,
      acceptedAt: queued.createdAt,
    });
    const outcome = await runClaimed(deps, claimed, gate.state === "blocked" ? gate.message : undefined, log);
    if (outcome !== "lost") return outcome;
    lost = claimed;
  } finally {
    await lock.release().catch((err) => log.warn({ err }, "could not close the stack lock's session"));
    // A lost run is recovered first (the state still holds the killed engine's lock and pending
    // operations); recovery promotes the next in line when it is done.
    if (!lost) deps.onStackFree?.(stackId);
  }
  if (!lost) return { state: "done" }; // every path but a lost run's returned above
  // Recovered here and now, with the lock taken again on a new session, if Postgres lets us;
  // otherwise by whichever worker's sweep finds the run's lease expired.
  const recovered = await deps
    .recoverLostRun({ ...lost, stackId })
    .catch((err) => log.warn({ err }, "could not recover the lost run here; recovery will"));
  return recovered
    ? { state: "later", delayMs: 0, reason: "running again after recovery" }
    : { state: "done" };
}

type HandOff = { handedOff?: PendingSecretInputs; unopened?: string; failed?: unknown };

/**
 * The stack's pending secret inputs, never rejecting (it runs ahead of the run that awaits it).
 * Only a seal that does not open is the run's end (`unopened`); a failed read (a dropped database
 * session) is thrown in the run, to its retry and recovery like any other.
 */
async function readHandOff(deps: RunOperationDeps, stackId: string): Promise<HandOff> {
  const key = deps.engine.secretInputKey ? secretInputKey(deps.engine.secretInputKey) : undefined;
  try {
    return { handedOff: await pendingSecretInputs(deps.db, key, stackId) };
  } catch (err) {
    if (!(err instanceof UnopenableSecretInputs)) return { failed: err };
    return { unopened: `the secret inputs handed off for this stack cannot be opened: ${err.message}` };
  }
}

async function runClaimed(
  deps: RunOperationDeps,
  claimed: ClaimedRun,
  blocked: string | undefined,
  log: Logger,
): Promise<RunOutcome | "lost"> {
  const { operationId } = claimed;
  // Secret input values handed off since the last run that stored them (README, Secret inputs),
  // read while withOwnedRun loads the run: both come before the engine starts.
  const handOff =
    PROGRAM_KINDS.includes(claimed.kind) && !blocked
      ? readHandOff(deps, claimed.stackId)
      : Promise.resolve<HandOff>({});
  return withOwnedRun(deps, claimed, { log, stopOnCancel: true }, async ({ running, op }) => {
    const { handedOff, unopened, failed } = await handOff;
    if (failed) throw failed;
    const refusal = blocked ?? unopened;
    const startedAt = performance.now();
    const context = { log, signal: running.controller.signal, kill: running.killer.signal };
    // Approval rules may hold this run back (README, Approvals): it previews first.
    const approval = op.approval as ApprovalRecord | null;
    const gated: GatedOutcome | undefined =
      approval && !refusal && (claimed.kind === "up" || claimed.kind === "destroy")
        ? await runGated(
            deps,
            {
              operationId,
              kind: claimed.kind,
              stack: op.stack,
              spec: op.spec,
              secretInputs: handedOff?.values,
              blueprintVersion: op.blueprintVersion,
              approval,
              plan: op.plan,
            },
            context,
          )
        : undefined;
    if (gated?.state === "waiting") {
      if (running.stopReason === "lost-ownership") return "lost";
      const written = await persist(
        "the wait for an approval",
        () => awaitApproval(deps.db, claimed, gated, { announce: deps.webhooks }),
        log,
      );
      if (!written) log.warn("the run was taken over before its wait for an approval was written");
      else log.info({ rule: gated.approval.rule }, "operation awaits an approval of its plan");
      return { state: "done" };
    }
    const result: RunResult = refusal
      ? failedRun(refusal)
      : gated
        ? gated.result
        : await execute(
            deps,
            {
              owner: claimed,
              teamId: op.teamId,
              kind: claimed.kind,
              stack: op.stack,
              spec: op.spec,
              secretInputs: handedOff?.values,
              blueprintVersion: op.blueprintVersion,
            },
            context,
          );
    const stopReason = running.stopReason;
    // Its engine was killed mid-run: nothing of it is written; recovery takes it from here.
    if (stopReason === "lost-ownership") return "lost";
    // The values are in the state now (or the stack is gone): the hand-off has done its work.
    if (result.ok && (claimed.kind === "destroy" || (handedOff && claimed.kind !== "preview")))
      await persist(
        "the secret input hand-off's end",
        () =>
          clearSecretInputs(deps.db, op.stackId, claimed.kind === "destroy" ? undefined : handedOff?.version),
        log,
      );
    const verdict = judge(result, stopReason, claimed.attempts, deps.retry);
    deps.metrics?.ran({
      kind: claimed.kind,
      stackKind: op.stack.kind,
      status: verdict.status,
      seconds: (performance.now() - startedAt) / 1000,
    });
    log.info(
      { kind: claimed.kind, status: verdict.status, summary: result.summary, error: verdict.error },
      "operation ran",
    );
    if (verdict.status === "queued") {
      const error = verdict.error;
      const retry = { error, delayMs: verdict.retryInMs, outputs: result.outputs };
      await persist("the retry", () => requeueRun(deps.db, claimed, retry), log);
      return { state: "later", delayMs: verdict.retryInMs, reason: `retrying: ${error.message}` };
    }
    const end = {
      status: verdict.status,
      error: verdict.error,
      summary: result.summary,
      diff: result.changes,
      outputs: result.outputs,
      ...(gated ? { approval: gated.approval, stackUnchanged: gated.stackUnchanged } : {}),
      // The stack records the blueprint version its last successful up applied, and lets go of
      // the dependencies a change released that this up no longer used.
      ...(claimed.kind === "up" && verdict.status === "succeeded"
        ? {
            blueprintVersion: op.blueprintVersion ?? op.stack.blueprintVersion ?? 1,
            releasedDependencies: releasedAfter(op.stack, op.spec),
          }
        : {}),
    };
    const written = await persist(
      "the outcome",
      () => finishRun(deps.db, claimed, end, { announce: deps.webhooks }),
      log,
    );
    if (!written) log.warn("the run was taken over before its outcome was written; it is dropped");
    return { state: "done" };
  });
}

/** The engine work of an operation kind: one verb, or the several runs of a drift kind (drift/). */
function execute(
  deps: RunOperationDeps,
  op: {
    owner: RunOwner;
    teamId: string;
    kind: OperationKind;
    stack: StackForRun;
    spec: unknown;
    secretInputs?: Record<string, string> | undefined;
    blueprintVersion: number | null;
  },
  context: { log: Logger; signal: AbortSignal; kill: AbortSignal },
): Promise<RunResult> {
  const { kind, owner } = op;
  if (isDriftKind(kind)) {
    return withEventLog(deps, owner.operationId, context, (hooks) =>
      runDriftOperation(deps, kind, {
        operation: { id: owner.operationId, teamId: op.teamId, stackId: op.stack.id },
        owner,
        request: stackRequest(op.stack, op.spec, op.secretInputs, op.blueprintVersion),
        hooks,
      }),
    );
  }
  const verb = VERBS[kind];
  if (!verb) return Promise.resolve(failedRun(`operation kind "${kind}" is not supported`));
  const run = {
    operationId: owner.operationId,
    verb,
    stack: op.stack,
    spec: op.spec,
    secretInputs: op.secretInputs,
    blueprintVersion: op.blueprintVersion,
  };
  return runEngineFor(deps, run, context);
}

function platformProblem(engine: EngineSettings, kindName: string, spec: unknown): string | undefined {
  try {
    engineEnvironment(engine, kindName, spec);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
