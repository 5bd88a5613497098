// A workload on ECS Fargate: its own (free) ECS cluster in the network stack, or in the network of
// the eks-cluster it depends on, so `target` alone moves it; the shared Fargate blocks do the rest.
// Database passwords reach the container through ECS `secrets` from Secrets Manager.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fargateCluster } from "../../aws/fargate/cluster.ts";
import { fargateService } from "../../aws/fargate/service.ts";
import { type ContainerSecret, fargateTask } from "../../aws/fargate/task.ts";
import { applicationLoadBalancer } from "../../aws/load-balancer.ts";
import { networkFromOutputs } from "../../aws/network-source.ts";
import { dependencyOfKind } from "../../dependencies.ts";
import type { ProgramContext } from "../../kind.ts";
import type { DatabaseBinding } from "./bindings.ts";
import type { WorkloadSpec } from "./spec.ts";

export interface PlacedWorkload {
  serviceName: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  url: pulumi.Output<string>;
}

export function ecsWorkload(
  context: ProgramContext<WorkloadSpec>,
  name: string,
  bindings: DatabaseBinding[],
  tags: Record<string, string>,
): PlacedWorkload {
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

  const cluster = fargateCluster(name, tags);
  const task = fargateTask({
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
  });
  const balancer = spec.ingress
    ? applicationLoadBalancer({
        spec: { ...spec.ingress, healthCheckPath: spec.healthCheck.path },
        vpcId: network.vpcId,
        vpcCidrBlock: network.vpcCidrBlock,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        targetPort: spec.port,
        tags,
      })
    : undefined;
  const { service } = fargateService({
    name,
    cluster,
    taskDefinition: task.taskDefinition,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    port: spec.port,
    desiredCount: spec.replicas,
    capacity: [{ provider: "FARGATE", weight: 1, base: 0 }],
    allowedCidrs: [],
    extraSecurityGroupIds: bindings.flatMap((b) => (b.securityGroupId ? [b.securityGroupId] : [])),
    ...(balancer
      ? {
          loadBalancer: {
            targetGroupArn: balancer.targetGroup.arn,
            securityGroupId: balancer.securityGroup.id,
            dependsOn: balancer.listeners,
          },
        }
      : {}),
    autoscaling: spec.autoscaling
      ? {
          minCount: spec.replicas,
          maxCount: spec.autoscaling.maxReplicas,
          targetCpuPercent: spec.autoscaling.targetCpuPercent,
        }
      : undefined,
    tags,
  });
  const scheme = spec.ingress?.certificateArn ? "https" : "http";
  return {
    serviceName: service.name,
    roleArn: task.taskRole.arn,
    url: balancer ? pulumi.interpolate`${scheme}://${balancer.loadBalancer.dnsName}` : pulumi.output(""),
  };
}
