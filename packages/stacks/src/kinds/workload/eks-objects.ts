// What the EKS half of a workload hands its parts: the Kubernetes SDK (loaded on demand), the
// provider for the cluster, and the name, namespace and labels every object of the workload carries.
import type * as pulumi from "@pulumi/pulumi";

export type Kubernetes = typeof import("@pulumi/kubernetes");

export interface WorkloadObjects {
  k8s: Kubernetes;
  opts: pulumi.CustomResourceOptions;
  name: string;
  labels: Record<string, string>;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
}
