// A workload: one container spec placed on EKS or ECS Fargate by `target`, bound to databases by
// reference. The data-plane halves live in eks.ts and ecs.ts; what both share (spec, bindings,
// dependencies) is here and beside it.
import { awsEngineEnv } from "../../aws/platform.ts";
import { awsName, stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { databaseBindings } from "./bindings.ts";
import { DATABASE_KINDS, workloadDependencyIssues } from "./dependencies.ts";
import { ecsWorkload } from "./ecs.ts";
import { eksWorkload } from "./eks.ts";
import { workloadSpec } from "./spec.ts";

const KIND = "workload";

export const workload = defineKind({
  name: KIND,
  title: "Workload (EKS or ECS)",
  description:
    "One container on the EKS cluster it depends on (Deployment spread over zones, probes, Service, " +
    "PodDisruptionBudget, HPA, IRSA service account, optional ALB Ingress) or on ECS Fargate (task " +
    "definition and service, optional ALB), moved between them by `target`. Bound databases give it " +
    "their address and a reference to the password, never the password.",
  specSchema: workloadSpec,
  dependsOn: ["eks-cluster", "network", ...DATABASE_KINDS],
  outputs: [
    { name: "target", description: "Data plane the workload runs on: eks or ecs.", secret: false },
    { name: "serviceName", description: "Kubernetes Service or ECS service of the workload.", secret: false },
    {
      name: "roleArn",
      description: "IAM role the containers run as (IRSA role or ECS task role).",
      secret: false,
    },
    { name: "url", description: "URL of its load balancer; empty without ingress.", secret: false },
  ],

  validateDependencies: workloadDependencyIssues,

  /** The engine needs AWS_REGION and the AWS SDK credential variables (see aws/platform.ts). */
  engineEnv: awsEngineEnv,
  cloud: "aws",

  async program(context) {
    const tags = stackTags(context, KIND);
    const bindings = databaseBindings(context.spec, context.dependencies);
    const placed =
      context.spec.target === "eks"
        ? await eksWorkload(context, bindings, tags)
        : ecsWorkload(context, awsName(context.physicalName), bindings, tags);
    return { target: context.spec.target, ...placed };
  },
});
