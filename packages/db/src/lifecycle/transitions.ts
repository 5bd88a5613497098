// The operation and stack lifecycles as data: which status may follow which. operation-lifecycle.ts
// is the only writer of an operation's status, and every write it makes names its transition here
// (`step`), so a change that is not in the table cannot be written.
import type { OperationKind, OperationStatus, StackStatus } from "@gantry/core";

export const OPERATION_TRANSITIONS = {
  // Claimed by a worker; cancelled or superseded before it started.
  queued: ["running", "cancelled"],
  // Taken over by recovery (a new fence, same status); back in line for a retry; waiting for an
  // approval of the plan its preview stored; or over.
  running: ["running", "queued", "awaiting_approval", "succeeded", "failed", "cancelled", "interrupted"],
  // Approved: back in line to apply the stored plan; rejected or expired: over.
  awaiting_approval: ["queued", "cancelled"],
  succeeded: [],
  failed: [],
  cancelled: [],
  interrupted: [],
} as const satisfies Record<OperationStatus, readonly OperationStatus[]>;

/** The status a write moves from, after checking that `from → to` is a transition of the table. */
export function step(from: OperationStatus, to: OperationStatus): OperationStatus {
  if (!(OPERATION_TRANSITIONS[from] as readonly OperationStatus[]).includes(to)) {
    throw new Error(`operation lifecycle: ${from} → ${to} is not a transition`);
  }
  return from;
}

/** The stack's status while an operation of this kind runs on it (README, Operations). */
export function stackStatusWhileRunning(kind: OperationKind, current: StackStatus): StackStatus {
  switch (kind) {
    case "up":
    case "remediate":
      return current === "ready" || current === "updating" ? "updating" : "provisioning";
    case "destroy":
      return "destroying";
    default:
      return current;
  }
}

/** The stack's status once an operation of this kind has ended (`ok`: it succeeded). */
export function stackStatusAfter(kind: OperationKind, before: StackStatus, ok: boolean): StackStatus {
  switch (kind) {
    case "up":
    case "remediate":
      return ok ? "ready" : "failed";
    case "destroy":
      return ok ? "destroyed" : "failed";
    default:
      return before;
  }
}
