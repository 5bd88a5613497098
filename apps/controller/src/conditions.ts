// kstatus-style conditions: Ready, Synced and Drifted, each with a reason and a sentence, and a
// transition time that moves only when the status does.
import type { LoadedStack } from "@gantry/api/controller";
import type { OperationModel } from "@gantry/db";

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: "Ready" | "Synced" | "Drifted";
  status: ConditionStatus;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** Ready follows the stack and its latest up/destroy/remediate (a drift check does not unready it). */
export function readyCondition(stack: LoadedStack, lastChange: OperationModel | null): Condition {
  const error = errorOf(lastChange);
  if (lastChange && (lastChange.status === "queued" || lastChange.status === "running")) {
    const verb = lastChange.kind === "destroy" ? "being destroyed" : "being applied";
    return {
      type: "Ready",
      status: "False",
      reason: "Progressing",
      message: `the stack is ${verb} (operation ${lastChange.id} ${lastChange.status})`,
    };
  }
  if (lastChange && lastChange.status !== "succeeded")
    return {
      type: "Ready",
      status: "False",
      reason: "OperationFailed",
      message: `operation ${lastChange.id} (${lastChange.kind}) ended ${lastChange.status}${error ? `: ${error}` : ""}`,
    };
  if (stack.status === "ready")
    return { type: "Ready", status: "True", reason: "Available", message: "the stack is ready" };
  return {
    type: "Ready",
    status: "False",
    reason: capitalise(stack.status),
    message: `the stack is ${stack.status}`,
  };
}

export function driftedCondition(stack: LoadedStack): Condition {
  switch (stack.driftStatus) {
    case "drifted":
      return {
        type: "Drifted",
        status: "True",
        reason: "DriftDetected",
        message: "what is deployed differs from the spec; see GET /v1/stacks/<id>/drift",
      };
    case "in_sync":
      return {
        type: "Drifted",
        status: "False",
        reason: "InSync",
        message: "the last drift check found no drift",
      };
    case "error":
      return {
        type: "Drifted",
        status: "Unknown",
        reason: "CheckFailed",
        message: "the last drift check failed",
      };
    default:
      return {
        type: "Drifted",
        status: "Unknown",
        reason: "NotChecked",
        message: "no drift check has run yet",
      };
  }
}

export const synced = (): Condition => ({
  type: "Synced",
  status: "True",
  reason: "Accepted",
  message: "the spec is the stack's",
});

export const notSynced = (reason: string, message: string): Condition => ({
  type: "Synced",
  status: "False",
  reason,
  message,
});

/** New conditions, keeping each one's transition time when its status did not change. */
export function mergeConditions(
  previous: unknown,
  next: readonly Condition[],
  generation: number | undefined,
  now: Date,
): Condition[] {
  const before = Array.isArray(previous) ? (previous as Condition[]) : [];
  const byType = new Map(before.map((c) => [c.type, c]));
  const merged: Condition[] = next.map((c) => {
    const old = byType.get(c.type);
    const at =
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now.toISOString();
    return {
      ...c,
      message: c.message.slice(0, 32_000),
      lastTransitionTime: at,
      ...(generation ? { observedGeneration: generation } : {}),
    };
  });
  // Conditions this reconcile did not compute (e.g. Ready while Synced=False) are kept as they were.
  for (const old of before) if (!merged.some((c) => c.type === old.type)) merged.push(old);
  // One order whatever was computed, so an unchanged status compares equal and is not written.
  const order = ["Ready", "Synced", "Drifted"];
  return merged.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

export function errorOf(op: OperationModel | null): string | undefined {
  const error = op?.error as { message?: unknown } | null | undefined;
  return typeof error?.message === "string" ? error.message : undefined;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
