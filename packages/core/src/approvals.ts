// Approval rules: which changes wait for an admin's approval before they apply (README, Approvals).
// The API freezes the rules that may apply into an operation when it accepts it; the worker
// previews the operation and asks `ruleThatApplies` whether its plan needs an approval.
import { z } from "zod";
import type { ResourceChange } from "./domain.ts";

const Name = z.string().min(1).max(64);

/**
 * The built-in rule: a protected stack's destroy always waits for an approval, with or without
 * rules in the policy (README, Approvals). Its name is reserved.
 */
export const PROTECTED_DESTROY_RULE = "protected-stack";

export const ApprovalRule = z
  .strictObject({
    name: Name.describe("Shown on the waiting operation and in its webhook."),
    kinds: z.array(Name).max(50).optional().describe("Stack kinds it applies to; absent: every kind."),
    operations: z
      .array(z.enum(["up", "destroy"]))
      .min(1)
      .max(2)
      .default(["up", "destroy"])
      .describe("Operation kinds it applies to."),
    changes: z
      .array(z.enum(["create", "update", "replace", "delete"]))
      .min(1)
      .max(4)
      .optional()
      .describe("Resource changes of the plan that need the approval; absent: any operation it applies to."),
    resourceTypes: z
      .array(z.string().min(1).max(200))
      .max(50)
      .optional()
      .describe("Pulumi resource types whose changes count (`pg-database:index:Database`); absent: all."),
    protectedOnly: z
      .boolean()
      .optional()
      .describe("Applies only to stacks an admin marked protected (`POST /v1/stacks/:id/protect`)."),
  })
  .refine((rule) => rule.name !== PROTECTED_DESTROY_RULE, {
    path: ["name"],
    message: `"${PROTECTED_DESTROY_RULE}" is the built-in rule for protected stacks' destroys`,
  })
  .meta({ id: "ApprovalRule" });
export type ApprovalRule = z.output<typeof ApprovalRule>;

/** The approval side of an operation, as stored with it (its plan is stored apart and never shown). */
export interface ApprovalRecord {
  /**
   * `pending`: not previewed yet; `not_needed`: previewed, no rule applied; `awaiting`: waits for a
   * decision; `approved` (applies the stored plan next), `rejected`, `expired`.
   */
  state: "pending" | "not_needed" | "awaiting" | "approved" | "rejected" | "expired";
  /** The rules that may apply, frozen when the operation was accepted. */
  rules: ApprovalRule[];
  /** The rule that applied, and the change that made it apply. */
  rule?: string;
  reason?: string;
  plannedAt?: string;
  expiresAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/**
 * The rules that may apply to an operation of this kind on this stack: the policy's that cover it
 * (`protectedOnly` ones only on a protected stack), and for a protected stack's destroy the
 * built-in rule first, so that it is the one named when the destroy waits.
 */
export function candidateRules(
  rules: readonly ApprovalRule[],
  stack: { kind: string; protected: boolean },
  operationKind: string,
): ApprovalRule[] {
  const covered = rules.filter(
    (rule) =>
      (rule.operations as readonly string[]).includes(operationKind) &&
      (!rule.kinds || rule.kinds.includes(stack.kind)) &&
      (!rule.protectedOnly || stack.protected),
  );
  if (!stack.protected || operationKind !== "destroy") return covered;
  return [{ name: PROTECTED_DESTROY_RULE, operations: ["destroy"] }, ...covered];
}

/** The first rule the plan falls under, with the reason; undefined when none does. */
export function ruleThatApplies(
  rules: readonly ApprovalRule[],
  changes: readonly Pick<ResourceChange, "urn" | "type" | "op">[],
): { rule: string; reason: string } | undefined {
  for (const rule of rules) {
    if (rule.name === PROTECTED_DESTROY_RULE)
      return { rule: rule.name, reason: "the stack is protected: its destroy always needs an approval" };
    if (!rule.changes)
      return { rule: rule.name, reason: `rule "${rule.name}" applies to every such operation` };
    const hit = changes.find(
      (change) =>
        (rule.changes as readonly string[]).includes(change.op) &&
        (!rule.resourceTypes || rule.resourceTypes.includes(change.type)),
    );
    if (hit) return { rule: rule.name, reason: `${hit.op} of ${hit.type} ${nameOf(hit.urn)}` };
  }
  return undefined;
}

function nameOf(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}
