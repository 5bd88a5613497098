// What a workload's spec asks of the stacks in its dependsOn: an eks-cluster for EKS, any cluster
// (eks-cluster or kubernetes-cluster) for kubernetes, a network (or a cluster's network) for ECS,
// and each bound database among them. It may depend on more than its target uses (a cluster and a
// network, to move between Kubernetes and ECS by `target` alone): only those in use gate its runs.
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

/**
 * The dependencies a workload's target uses: the cluster on eks and kubernetes, the network (else
 * the eks-cluster whose network it shares) on ecs, and every bound database. As the programs pick them.
 */
export function workloadDependenciesInUse(
  spec: Pick<WorkloadSpec, "target" | "databases">,
  dependencies: readonly { name: string; kind: string }[],
): string[] {
  const named = (...kinds: string[]) => dependencies.filter((d) => kinds.includes(d.kind)).map((d) => d.name);
  const platform =
    spec.target === "eks"
      ? named("eks-cluster")
      : spec.target === "kubernetes"
        ? named(...CLUSTER_KINDS)
        : named("network").length > 0
          ? named("network")
          : named("eks-cluster");
  return [...platform, ...spec.databases.map((binding) => binding.stack)];
}
