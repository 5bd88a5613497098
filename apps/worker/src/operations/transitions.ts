// Stack status before and after a run, by operation kind (DESIGN.md, Domain).
import type { OperationKind, StackStatus } from "@gantry/core";

export function statusWhileRunning(kind: OperationKind, current: StackStatus): StackStatus {
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

export function statusAfter(kind: OperationKind, before: StackStatus, ok: boolean): StackStatus {
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
