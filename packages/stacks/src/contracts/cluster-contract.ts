// The cluster contract: what every cluster kind (eks-cluster, kubernetes-cluster) outputs and a
// workload with target kubernetes reads (see cluster.ts for how a program reads it).
import { z } from "zod";
import { defineContract } from "./contract.ts";

export const clusterContract = defineContract(
  "cluster",
  z.object({
    endpoint: z.string().regex(/^https:\/\//, "must be an https:// URL"),
    kubernetesVersion: z.string().regex(/^v?\d+\.\d+/, "must be a Kubernetes version"),
    /** Zones the cluster's nodes (or subnets) are in: what zone spreading spreads over. */
    zones: z.array(z.string()),
    /** A kubeconfig document (YAML or JSON) that reaches the API server: a secret output. */
    kubeconfig: z.string().min(1),
  }),
);

export type ClusterOutputs = z.output<typeof clusterContract.schema>;
