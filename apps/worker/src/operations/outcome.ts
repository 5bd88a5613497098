// What a finished run means for its operation: succeeded, failed, cancelled, or back in line for
// another try after a backoff. The lifecycle (@gantry/db) writes it.
import type { OperationError } from "@gantry/core";
import type { FinalStatus } from "@gantry/db";
import type { RunResult } from "@gantry/engine";
import type { StopReason } from "./running-operations.ts";

export interface RetryPolicy {
  /** Runs an operation may have in all, the first included. */
  maxAttempts: number;
  /** Pause before the second run; it doubles for each further one. */
  retryBaseMs: number;
}

export type Verdict =
  | { status: FinalStatus; error: OperationError | null }
  | { status: "queued"; error: OperationError; retryInMs: number };

const STOPPED: Record<Exclude<StopReason, "lost-ownership">, OperationError> = {
  cancel: { message: "cancelled while running: the engine was asked to stop and did", retryable: false },
  shutdown: {
    message: "cancelled: the worker was shut down and its grace period ran out before the run ended",
    retryable: true,
  },
};

export function judge(
  result: RunResult,
  stopReason: Exclude<StopReason, "lost-ownership"> | undefined,
  attempts: number,
  policy: RetryPolicy,
): Verdict {
  if (result.ok) return { status: "succeeded", error: null };
  if (stopReason) return { status: "cancelled", error: STOPPED[stopReason] };
  const error = result.error ?? { message: "the run failed without saying why", retryable: false };
  if (error.retryable && attempts < policy.maxAttempts) {
    return { status: "queued", error, retryInMs: backoffMs(policy, attempts) };
  }
  return { status: "failed", error };
}

/** Exponential, with jitter so that runs that failed together do not retry together. */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  return Math.round(policy.retryBaseMs * 2 ** (attempts - 1) * (0.75 + Math.random() / 2));
}
