// What placing a workload on any data plane yields: its outputs besides `target`.
import type * as pulumi from "@pulumi/pulumi";

export interface PlacedWorkload {
  serviceName: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  url: pulumi.Output<string>;
  /** Kubernetes targets: the namespace; "" on ECS. */
  namespace: pulumi.Output<string>;
  /** Kubernetes targets: <service>.<namespace>.svc.cluster.local; "" on ECS. */
  serviceDnsName: pulumi.Output<string>;
  /** Kubernetes targets: ready pods when the up ended; null on ECS. */
  readyReplicas: pulumi.Output<number | null>;
}
