// A container service on ECS Fargate, built from the shared Fargate blocks (aws/fargate), in a
// network stack or a network of its own: private subnets without public IPs, a security group
// admitting only what the spec names, Fargate / Fargate Spot by weight, circuit breaker with
// rollback, optional ALB, target-tracking autoscaling.
import { fargateApp } from "../../aws/fargate/app.ts";
import { resolveNetwork } from "../../aws/network-source.ts";
import { awsName, stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { ecsServiceDefinition } from "./definition.ts";

const KIND = "ecs-service";

export const ecsService = defineKind({
  ...ecsServiceDefinition,

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
