// Enforcing the platform policy on a submitted (parsed, defaults applied) spec: every violation is
// a field issue whose message names the rule, answered 422 `policy_violation`.
import { type ApprovalRule, candidateRules } from "@gantry/core";
import { UnprocessableError } from "../http/errors.ts";
import { KIND_POLICY_FIELDS, type KindFieldMap, valuesAt } from "./kind-fields.ts";
import type { PlatformPolicy, PolicyRule } from "./policy-schema.ts";

export interface PolicyIssue {
  /** Path in the spec, e.g. `instanceClass`. */
  path: string;
  message: string;
}

const LISTS = {
  allowedRegions: "region",
  allowedInstanceTypes: "instance type",
  allowedInstanceClasses: "instance class",
  allowedKubernetesVersions: "Kubernetes version",
} as const satisfies Partial<Record<PolicyRule, string>>;

export function createPolicyChecker(policy: PlatformPolicy, fields: KindFieldMap = KIND_POLICY_FIELDS) {
  function issues(kind: string, spec: unknown): PolicyIssue[] {
    const map = fields[kind] ?? {};
    const found: PolicyIssue[] = [];
    const at = (rule: PolicyRule) => (map[rule] ?? []).flatMap((path) => valuesAt(spec, path));

    for (const [rule, noun] of Object.entries(LISTS) as [keyof typeof LISTS, string][]) {
      const allowed = policy[rule];
      if (!allowed) continue;
      for (const { path, value } of at(rule)) {
        if (!allowed.includes(String(value))) {
          const list = allowed.length > 0 ? allowed.join(", ") : "none";
          found.push({
            path,
            message: `policy "${rule}": ${noun} "${String(value)}" is not allowed (allowed: ${list})`,
          });
        }
      }
    }
    const max = policy.maxNodeCount;
    if (max !== undefined) {
      for (const { path, value } of at("maxNodeCount")) {
        if (typeof value === "number" && value > max) {
          found.push({
            path,
            message: `policy "maxNodeCount": ${value} nodes is more than the ${max} allowed`,
          });
        }
      }
    }
    const required = policy.requiredTags ?? [];
    if (required.length > 0) {
      for (const path of map.requiredTags ?? []) {
        const tags = valuesAt(spec, path)[0]?.value;
        const present = typeof tags === "object" && tags !== null ? Object.keys(tags) : [];
        const missing = required.filter((tag) => !present.includes(tag));
        if (missing.length > 0) {
          const names = missing.map((tag) => `"${tag}"`).join(", ");
          const what = missing.length > 1 ? `tags ${names} are` : `tag ${names} is`;
          found.push({ path, message: `policy "requiredTags": ${what} required` });
        }
      }
    }
    return found;
  }

  return {
    policy,
    issues,
    /** Throws 422 `policy_violation` naming each broken rule; paths as the request names them. */
    enforce(kind: string, spec: unknown): void {
      const found = issues(kind, spec);
      if (found.length === 0) return;
      throw new UnprocessableError(
        "policy_violation",
        found.map((issue) => ({ path: issue.path ? `spec.${issue.path}` : "spec", message: issue.message })),
      );
    },
    /** The approval rules that may hold back an operation of this kind on this stack. */
    approvalRules(stack: { kind: string; protected: boolean }, operationKind: string): ApprovalRule[] {
      return candidateRules(policy.approvals ?? [], stack, operationKind);
    },
    /** For GET /v1/policy: which kinds each rule applies to. */
    coverage(): Record<Exclude<PolicyRule, "approvals">, string[]> {
      const rules: Exclude<PolicyRule, "approvals">[] = [
        "allowedRegions",
        "allowedInstanceTypes",
        "allowedInstanceClasses",
        "maxNodeCount",
        "requiredTags",
        "allowedKubernetesVersions",
      ];
      return Object.fromEntries(
        rules.map((rule) => [rule, Object.keys(fields).filter((kind) => fields[kind]?.[rule]?.length)]),
      ) as Record<Exclude<PolicyRule, "approvals">, string[]>;
    },
  };
}

export type PolicyChecker = ReturnType<typeof createPolicyChecker>;
