// ecs-service apart from its program (index.ts): spec, outputs, refusals, engine environment.
import { networkDependencyIssues } from "../../aws/network-field.ts";
import { awsEngineEnv } from "../../aws/platform.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import { ecsServiceSpec } from "./spec.ts";

const KIND = "ecs-service";

export const ecsServiceDefinition = defineKindSpec({
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
});
