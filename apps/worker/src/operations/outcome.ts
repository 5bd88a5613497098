// What a finished run means for its operation and its stack: succeeded, failed, cancelled, or
// back in line for another try, and the one transaction that writes it.
import { EVENTS_CHANNEL, type OperationError, type OperationKind, type StackStatus } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import type { RunResult } from "@gantry/engine";
import type { StopReason } from "./running-operations.ts";
import { statusAfter } from "./transitions.ts";

export interface RetryPolicy {
  /** Runs an operation may have in all, the first included. */
  maxAttempts: number;
  /** Pause before the second run; it doubles for each further one. */
  retryBaseMs: number;
}

export type Verdict =
  | { status: "succeeded" | "failed" | "cancelled" | "interrupted"; error: OperationError | null }
  | { status: "queued"; error: OperationError; retryInMs: number };

const STOPPED: Record<StopReason, OperationError> = {
  cancel: { message: "cancelled while running: the engine was asked to stop and did", retryable: false },
  shutdown: {
    message: "cancelled: the worker was shut down and its grace period ran out before the run ended",
    retryable: true,
  },
  "lost-lock": {
    message: "stopped: the worker lost the database session that guards the stack",
    retryable: true,
  },
};

export function judge(
  result: RunResult,
  stopReason: StopReason | undefined,
  attempts: number,
  policy: RetryPolicy,
): Verdict {
  if (result.ok) return { status: "succeeded", error: null };
  if (stopReason)
    return { status: stopReason === "lost-lock" ? "failed" : "cancelled", error: STOPPED[stopReason] };
  const error = result.error ?? { message: "the run failed without saying why", retryable: false };
  if (error.retryable && attempts < policy.maxAttempts) {
    // Exponential backoff with jitter, so runs that failed together do not retry together.
    const retryInMs = Math.round(policy.retryBaseMs * 2 ** (attempts - 1) * (0.75 + Math.random() / 2));
    return { status: "queued", error, retryInMs };
  }
  return { status: "failed", error };
}

export interface RecordedRun {
  operationId: string;
  stackId: string;
  kind: OperationKind;
  /** The stack's status before the run began. */
  before: StackStatus;
}

export async function recordOutcome(
  db: Pick<Db, "$transaction" | "operation" | "stack" | "$executeRaw">,
  run: RecordedRun,
  result: RunResult,
  verdict: Verdict,
): Promise<void> {
  const json = (value: unknown) => (value ?? undefined) as Prisma.InputJsonValue | undefined;
  const retrying = verdict.status === "queued";
  await db.$transaction([
    db.operation.update({
      where: { id: run.operationId },
      data: {
        status: verdict.status,
        error: json(verdict.error),
        leaseUntil: null,
        ...(retrying
          ? { workerId: null, startedAt: null }
          : {
              finishedAt: new Date(),
              summary: json(result.summary),
              ...(result.changes ? { diff: json(result.changes) } : {}),
            }),
      },
    }),
    db.stack.update({
      where: { id: run.stackId },
      data: {
        status: retrying ? run.before : statusAfter(run.kind, run.before, verdict.status === "succeeded"),
        ...(retrying ? {} : { lastOperationId: run.operationId }),
        ...(result.outputs
          ? { outputs: json(result.outputs.values), secretOutputs: result.outputs.secretNames }
          : {}),
      },
    }),
    // Live event streams end when they hear the operation is over.
    db.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${run.operationId})`,
  ]);
}
