// workload apart from its program (index.ts): spec, outputs, refusals, engine environment.
import { awsEngineEnv } from "../../aws/platform.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import {
  CLUSTER_KINDS,
  DATABASE_KINDS,
  workloadDependenciesInUse,
  workloadDependencyIssues,
} from "./dependencies.ts";
import { type WorkloadSpec, workloadSpec } from "./spec.ts";

const KIND = "workload";

/** Only target kubernetes runs without AWS: its cluster is reached with the cluster's kubeconfig. */
const usesAws = (spec: Partial<WorkloadSpec>) => spec.target !== "kubernetes";

export const workloadDefinition = defineKindSpec({
  name: KIND,
  title: "Workload (EKS, Kubernetes or ECS)",
  description:
    "One container on the EKS cluster it depends on (Deployment spread over zones, probes, Service, " +
    "PodDisruptionBudget, HPA, IRSA service account, optional ALB Ingress), on any cluster stack in a " +
    "namespace of its own (target kubernetes), or on ECS Fargate (task definition and service, optional " +
    "ALB), moved between them by `target`. Bound databases give it their address and a reference to the " +
    "password, never the password.",
  specSchema: workloadSpec,
  dependsOn: [...new Set(["eks-cluster", ...CLUSTER_KINDS, "network", ...DATABASE_KINDS])],
  outputs: [
    {
      name: "target",
      description: "Data plane the workload runs on: eks, kubernetes or ecs.",
      secret: false,
    },
    { name: "serviceName", description: "Kubernetes Service or ECS service of the workload.", secret: false },
    {
      name: "roleArn",
      description: "IAM role the containers run as (IRSA role or ECS task role); empty on kubernetes.",
      secret: false,
    },
    { name: "url", description: "URL of its load balancer; empty without ingress.", secret: false },
    { name: "namespace", description: "Kubernetes namespace of its objects; empty on ECS.", secret: false },
    {
      name: "serviceDnsName",
      description:
        "In-cluster DNS name of its Service (<service>.<namespace>.svc.cluster.local); empty on ECS.",
      secret: false,
    },
    {
      name: "readyReplicas",
      description: "Ready pods when the last up ended (the rollout is awaited); null on ECS.",
      secret: false,
    },
  ],

  validateDependencies: workloadDependencyIssues,
  dependenciesInUse: workloadDependenciesInUse,

  /** AWS targets need AWS_REGION and the AWS SDK credential variables (see aws/platform.ts). */
  engineEnv: (platform, spec) => (usesAws(spec) ? awsEngineEnv(platform) : {}),
  cloud: "aws",
  usesCloud: usesAws,
});
