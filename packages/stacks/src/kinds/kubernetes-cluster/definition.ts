// kubernetes-cluster apart from its program (index.ts): spec, outputs and contract.
import { clusterContract } from "../../contracts/cluster-contract.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import { kubernetesClusterSpec } from "./spec.ts";

export const kubernetesClusterDefinition = defineKindSpec({
  name: "kubernetes-cluster",
  title: "Kubernetes cluster (attached)",
  description:
    "An existing Kubernetes cluster, attached with a kubeconfig (a secret input). Each up checks that " +
    "the API server answers and that the credential may create, change and delete what a workload " +
    "needs (SelfSubjectAccessReview), and reports its version, nodes and zones. Workloads with " +
    "target kubernetes run on it.",
  specSchema: kubernetesClusterSpec,
  dependsOn: [],
  contracts: [clusterContract],
  outputs: [
    { name: "endpoint", description: "URL of the Kubernetes API server.", secret: false },
    { name: "kubernetesVersion", description: "Version the API server reports (v1.36.3).", secret: false },
    { name: "nodeCount", description: "Nodes in the cluster at the last up.", secret: false },
    { name: "zones", description: "Zones of its nodes (topology.kubernetes.io/zone).", secret: false },
    {
      name: "kubeconfig",
      description: "kubeconfig (JSON) of the chosen context, credential included, for dependents.",
      secret: true,
    },
  ],

  /** Nothing: the engine talks to the cluster with the kubeconfig alone. */
  engineEnv: () => ({}),
});
