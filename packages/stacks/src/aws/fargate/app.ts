// A container app on Fargate as ecs-service and workload (target ecs) both run it: its own ECS
// cluster, the task, an optional ALB in front, and the service, wired together in one place.
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs } from "../../kinds/network/build.ts";
import { applicationLoadBalancer, type LoadBalancerSpec } from "../load-balancer.ts";
import { fargateCluster } from "./cluster.ts";
import { type CapacityShare, fargateService, type ServiceAutoscaling } from "./service.ts";
import { type FargateTaskArgs, fargateTask } from "./task.ts";

export interface FargateAppArgs {
  task: FargateTaskArgs;
  network: NetworkOutputs;
  desiredCount: number;
  capacity: readonly CapacityShare[];
  allowedCidrs: readonly string[];
  extraSecurityGroupIds: pulumi.Input<string>[];
  loadBalancer: LoadBalancerSpec | undefined;
  autoscaling: ServiceAutoscaling | undefined;
}

export interface FargateApp {
  clusterName: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  taskRoleArn: pulumi.Output<string>;
  securityGroupId: pulumi.Output<string>;
  logGroupName: pulumi.Output<string>;
  /** The load balancer's URL; "" without one. */
  url: pulumi.Output<string>;
}

export function fargateApp(args: FargateAppArgs): FargateApp {
  const { network, task: taskArgs } = args;
  const { name, tags, port } = taskArgs;
  const cluster = fargateCluster(name, tags);
  const task = fargateTask(taskArgs);
  const balancer = args.loadBalancer
    ? applicationLoadBalancer({
        spec: args.loadBalancer,
        vpcId: network.vpcId,
        vpcCidrBlock: network.vpcCidrBlock,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        targetPort: port,
        tags,
      })
    : undefined;
  const { service, securityGroup } = fargateService({
    name,
    cluster,
    taskDefinition: task.taskDefinition,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    port,
    desiredCount: args.desiredCount,
    capacity: args.capacity,
    allowedCidrs: args.allowedCidrs,
    extraSecurityGroupIds: args.extraSecurityGroupIds,
    ...(balancer
      ? {
          loadBalancer: {
            targetGroupArn: balancer.targetGroup.arn,
            securityGroupId: balancer.securityGroup.id,
            dependsOn: balancer.listeners,
          },
        }
      : {}),
    autoscaling: args.autoscaling,
    tags,
  });
  const scheme = args.loadBalancer?.certificateArn ? "https" : "http";
  return {
    clusterName: cluster.name,
    serviceName: service.name,
    taskRoleArn: task.taskRole.arn,
    securityGroupId: securityGroup.id,
    logGroupName: task.logGroup.name,
    url: balancer ? pulumi.interpolate`${scheme}://${balancer.loadBalancer.dnsName}` : pulumi.output(""),
  };
}
