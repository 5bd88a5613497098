// A workload on ECS Fargate: its own (free) ECS cluster in the network stack, or in the network of
// the eks-cluster it depends on, so `target` alone moves it; the shared Fargate blocks do the rest.
// Database passwords reach the container through ECS `secrets` from Secrets Manager.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fargateApp } from "../../aws/fargate/app.ts";
import type { ContainerSecret } from "../../aws/fargate/task.ts";
import { networkFromOutputs } from "../../aws/network-source.ts";
import { dependencyOfKind } from "../../dependencies.ts";
import type { ProgramContext } from "../../kind.ts";
import type { DatabaseBinding } from "./bindings.ts";
import type { PlacedWorkload } from "./placed.ts";
import type { WorkloadSpec } from "./spec.ts";

export function ecsWorkload(
  context: ProgramContext<WorkloadSpec>,
  name: string,
  bindings: DatabaseBinding[],
  tags: Record<string, string>,
): Pick<PlacedWorkload, "serviceName" | "roleArn" | "url"> {
  const { spec } = context;
  const source = dependencyOfKind(context, "network") ?? dependencyOfKind(context, "eks-cluster");
  if (!source)
    throw new Error("a workload with target ecs needs a network or eks-cluster stack in dependsOn");
  const network = networkFromOutputs(source.name, source.outputs);

  const secrets: ContainerSecret[] = bindings.map((binding) => {
    const name = `${binding.envPrefix}_PASSWORD`;
    if ("secretArn" in binding.password)
      // RDS keeps {"username", "password"} in its secret; ECS picks the key.
      return {
        name,
        valueFrom: pulumi.interpolate`${binding.password.secretArn}:password::`,
        secretArn: binding.password.secretArn,
      };
    const secret = new aws.secretsmanager.Secret(`database-${binding.stack}`, {
      description: `Password of database stack ${binding.stack}, for workload ${context.stack.name}`,
      recoveryWindowInDays: 7,
      tags,
    });
    new aws.secretsmanager.SecretVersion(`database-${binding.stack}`, {
      secretId: secret.id,
      secretString: binding.password.value,
    });
    return { name, valueFrom: secret.arn, secretArn: secret.arn };
  });

  const app = fargateApp({
    task: {
      name,
      image: spec.image,
      cpu: spec.cpu,
      memory: spec.memory,
      port: spec.port,
      architecture: "x86_64",
      environment: { ...spec.environment, ...Object.assign({}, ...bindings.map((b) => b.environment)) },
      secrets,
      logRetentionDays: spec.logRetentionDays,
      tags,
    },
    network,
    desiredCount: spec.replicas,
    capacity: [{ provider: "FARGATE", weight: 1, base: 0 }],
    allowedCidrs: [],
    extraSecurityGroupIds: bindings.flatMap((b) => (b.securityGroupId ? [b.securityGroupId] : [])),
    loadBalancer: spec.ingress ? { ...spec.ingress, healthCheckPath: spec.healthCheck.path } : undefined,
    autoscaling: spec.autoscaling
      ? {
          minCount: spec.replicas,
          maxCount: spec.autoscaling.maxReplicas,
          targetCpuPercent: spec.autoscaling.targetCpuPercent,
        }
      : undefined,
  });
  return { serviceName: app.serviceName, roleArn: app.taskRoleArn, url: app.url };
}
