// What the Kubernetes half of a workload hands its parts: the Kubernetes SDK (loaded on demand),
// the provider for the cluster, and the name, namespace, labels and annotations every object of the
// workload carries.
import type * as pulumi from "@pulumi/pulumi";

export type Kubernetes = typeof import("@pulumi/kubernetes");

/**
 * Every object Gantry applies takes its fields back from whoever changed them since (`kubectl
 * set image`, `kubectl edit`): Server-Side Apply would otherwise refuse the next up with a field
 * conflict. Replicas are not among a Deployment's fields when an HPA owns them (kubernetes-objects.ts).
 */
export const OWNED = { "pulumi.com/patchForce": "true" } as const;

export interface WorkloadObjects {
  k8s: Kubernetes;
  opts: pulumi.CustomResourceOptions;
  name: string;
  labels: Record<string, string>;
  metadata: {
    name: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
}
