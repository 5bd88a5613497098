// A container service on ECS Fargate, built from the shared Fargate blocks (aws/fargate), in a
// network stack or a network of its own: private subnets without public IPs, a security group
// admitting only what the spec names, Fargate / Fargate Spot by weight, circuit breaker with
// rollback, optional ALB, target-tracking autoscaling.
import { fargateApp } from "../../aws/fargate/app.ts";
import { networkDependencyIssues, resolveNetwork } from "../../aws/network-source.ts";
import { awsEngineEnv } from "../../aws/platform.ts";
import { awsName, stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { ecsServiceSpec } from "./spec.ts";

const KIND = "ecs-service";

export const ecsService = defineKind({
  name: KIND,
  title: "ECS Fargate service",
  description:
    "A container service on ECS Fargate: Fargate and Fargate Spot by weight, valid task sizes, task and " +
    "execution roles, logs with retention, private subnets without public IPs, a tight security group, " +
    "circuit breaker with rollback, optional load balancer, autoscaling. In a network stack, or in a " +
    "network of its own.",
  specSchema: ecsServiceSpec,
  dependsOn: ["network"],
  outputs: [
    { name: "clusterName", description: "ECS cluster of the service.", secret: false },
    { name: "serviceName", description: "Name of the ECS service.", secret: false },
    {
      name: "taskRoleArn",
      description: "Role the containers run as; grant it what the app needs.",
      secret: false,
    },
    { name: "securityGroupId", description: "Security group of the tasks.", secret: false },
    { name: "logGroupName", description: "CloudWatch log group of the containers.", secret: false },
    { name: "url", description: "URL of the load balancer; empty without one.", secret: false },
  ],

  validateDependencies: (spec, dependencies) => networkDependencyIssues(KIND, spec, dependencies),

  /** The engine needs AWS_REGION and the AWS SDK credential variables (see aws/platform.ts). */
  engineEnv: awsEngineEnv,
  cloud: "aws",

  async program(context) {
    const { spec } = context;
    const tags = stackTags(context, KIND);
    const network = await resolveNetwork(context, KIND);
    const app = fargateApp({
      task: {
        name: awsName(context.physicalName),
        image: spec.image,
        cpu: spec.cpu,
        memory: spec.memory,
        port: spec.port,
        architecture: spec.architecture,
        environment: spec.environment,
        secrets: [],
        healthCheckCommand: spec.healthCheckCommand,
        logRetentionDays: spec.logRetentionDays,
        tags,
      },
      network,
      desiredCount: spec.desiredCount,
      capacity: spec.capacityProviders,
      allowedCidrs: spec.allowedCidrs,
      extraSecurityGroupIds: [],
      loadBalancer: spec.loadBalancer,
      autoscaling: spec.autoscaling,
    });
    return { ...app };
  },
});
