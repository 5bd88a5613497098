// What a workload's spec asks of the stacks in its dependsOn: a cluster for EKS, a network (or a
// cluster's network) for ECS, and each bound database among them.
import type { SpecIssue } from "../../issues.ts";
import type { WorkloadSpec } from "./spec.ts";

export const DATABASE_KINDS = ["rds-database", "pg-database"];

export function workloadDependencyIssues(
  spec: WorkloadSpec,
  dependencies: readonly { name: string; kind: string }[],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const of = (kind: string) => dependencies.filter((dependency) => dependency.kind === kind);
  for (const kind of ["eks-cluster", "network"]) {
    const found = of(kind);
    if (found.length > 1)
      issues.push({
        path: "",
        message: `a workload takes at most one ${kind} stack in dependsOn, not ${found.length} (${found.map((d) => d.name).join(", ")})`,
      });
  }
  const clusters = of("eks-cluster").length;
  if (spec.target === "eks" && clusters === 0)
    issues.push({ path: "", message: "a workload with target eks needs an eks-cluster stack in dependsOn" });
  if (spec.target === "ecs" && clusters === 0 && of("network").length === 0)
    issues.push({
      path: "",
      message:
        "a workload with target ecs needs a network stack, or an eks-cluster stack whose network it uses, in dependsOn",
    });
  for (const [index, binding] of spec.databases.entries()) {
    const found = dependencies.find((dependency) => dependency.name === binding.stack);
    if (!found || !DATABASE_KINDS.includes(found.kind))
      issues.push({
        path: `databases[${index}].stack`,
        message: `"${binding.stack}" is not an rds-database or pg-database stack in dependsOn`,
      });
  }
  return issues;
}
