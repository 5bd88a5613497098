// The cluster contract: what every cluster kind (eks-cluster, kubernetes-cluster) outputs and a
// workload with target kubernetes reads. One definition, checked three ways: the registry refuses
// a cluster kind that does not declare these outputs, each kind's tests parse its program's
// outputs with it, and a dependent's run checks the dependency's current values before use.
import * as pulumi from "@pulumi/pulumi";
import type { ProgramContext } from "../kind.ts";
import { clusterContract } from "./cluster-contract.ts";

export { type ClusterOutputs, clusterContract } from "./cluster-contract.ts";

/** The cluster a program depends on, as the contract types it; the kubeconfig stays a Pulumi secret. */
export interface ClusterDependency {
  name: string;
  kind: string;
  endpoint: string;
  kubernetesVersion: string;
  zones: string[];
  kubeconfig: pulumi.Output<string>;
}

/**
 * The one dependency that meets the cluster contract. Its values were checked against the
 * contract when the dependency was read (readDependencies), so plain values are read as typed.
 */
export function clusterDependency<Spec>(
  context: Pick<ProgramContext<Spec>, "dependencies">,
): ClusterDependency | undefined {
  const cluster = context.dependencies.find((dependency) =>
    dependency.contracts.includes(clusterContract.name),
  );
  if (!cluster) return undefined;
  const out = cluster.outputs;
  return {
    name: cluster.name,
    kind: cluster.kind,
    endpoint: out.endpoint as string,
    kubernetesVersion: out.kubernetesVersion as string,
    zones: out.zones as string[],
    kubeconfig: pulumi.secret(out.kubeconfig as pulumi.Input<string>),
  };
}
