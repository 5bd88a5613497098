// What a workload's spec asks of the stacks in its dependsOn: an eks-cluster for EKS, any cluster
// (eks-cluster or kubernetes-cluster) for kubernetes, a network (or a cluster's network) for ECS,
// and each bound database among them.
import type { SpecIssue } from "../../issues.ts";
import type { WorkloadSpec } from "./spec.ts";

export const DATABASE_KINDS = ["rds-database", "pg-database"];
/** Kinds that meet the cluster contract (contracts/cluster.ts). */
export const CLUSTER_KINDS = ["eks-cluster", "kubernetes-cluster"];

export function workloadDependencyIssues(
  spec: WorkloadSpec,
  dependencies: readonly { name: string; kind: string }[],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const of = (...kinds: string[]) => dependencies.filter((dependency) => kinds.includes(dependency.kind));
  for (const [what, kinds] of [
    ["cluster (eks-cluster or kubernetes-cluster)", CLUSTER_KINDS],
    ["network", ["network"]],
  ] as const) {
    const found = of(...kinds);
    if (found.length > 1)
      issues.push({
        path: "",
        message: `a workload takes at most one ${what} stack in dependsOn, not ${found.length} (${found.map((d) => d.name).join(", ")})`,
      });
  }
  const eksClusters = of("eks-cluster").length;
  if (spec.target === "eks" && eksClusters === 0)
    issues.push({ path: "", message: "a workload with target eks needs an eks-cluster stack in dependsOn" });
  if (spec.target === "kubernetes" && of(...CLUSTER_KINDS).length === 0)
    issues.push({
      path: "",
      message:
        "a workload with target kubernetes needs a cluster stack (eks-cluster or kubernetes-cluster) in dependsOn",
    });
  if (spec.target === "ecs" && eksClusters === 0 && of("network").length === 0)
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
