// A Fargate service: private subnets without public IPs, a security group that admits the
// container port only from what the spec names (and the load balancer), capacity providers with
// weights, a deployment circuit breaker that rolls back, and target-tracking autoscaling.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINER_NAME } from "./task.ts";

export interface CapacityShare {
  provider: "FARGATE" | "FARGATE_SPOT";
  weight: number;
  base: number;
}

export interface ServiceAutoscaling {
  minCount: number;
  maxCount: number;
  targetCpuPercent: number;
}

export interface FargateServiceArgs {
  name: string;
  cluster: aws.ecs.Cluster;
  taskDefinition: aws.ecs.TaskDefinition;
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  port: number;
  desiredCount: number;
  capacity: readonly CapacityShare[];
  /** CIDR blocks admitted to the container port. */
  allowedCidrs: readonly string[];
  /** Further security groups the tasks join (e.g. an RDS database's client group). */
  extraSecurityGroupIds: pulumi.Input<string>[];
  loadBalancer?: {
    targetGroupArn: pulumi.Input<string>;
    securityGroupId: pulumi.Input<string>;
    dependsOn: pulumi.Resource[];
  };
  autoscaling?: ServiceAutoscaling | undefined;
  tags: Record<string, string>;
}

export function fargateService(args: FargateServiceArgs): {
  service: aws.ecs.Service;
  securityGroup: aws.ec2.SecurityGroup;
} {
  const { tags, port } = args;
  const securityGroup = new aws.ec2.SecurityGroup("service", {
    name: `${args.name}-service`,
    description: `Tasks of ${args.name}: the container port, from what the spec admits`,
    vpcId: args.vpcId,
    tags,
  });
  for (const [index, cidr] of args.allowedCidrs.entries())
    new aws.vpc.SecurityGroupIngressRule(`service-from-cidr-${index}`, {
      securityGroupId: securityGroup.id,
      cidrIpv4: cidr,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: `container port from ${cidr}`,
      tags,
    });
  if (args.loadBalancer)
    new aws.vpc.SecurityGroupIngressRule("service-from-load-balancer", {
      securityGroupId: securityGroup.id,
      referencedSecurityGroupId: args.loadBalancer.securityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: "container port from the load balancer",
      tags,
    });
  // Out: anything (image pulls, AWS APIs, databases through their own security groups).
  new aws.vpc.SecurityGroupEgressRule("service-egress", {
    securityGroupId: securityGroup.id,
    cidrIpv4: "0.0.0.0/0",
    ipProtocol: "-1",
    description: "outbound",
    tags,
  });

  const service = new aws.ecs.Service(
    "service",
    {
      name: args.name,
      cluster: args.cluster.arn,
      taskDefinition: args.taskDefinition.arn,
      desiredCount: args.autoscaling ? args.autoscaling.minCount : args.desiredCount,
      capacityProviderStrategies: args.capacity.map((share) => ({
        capacityProvider: share.provider,
        weight: share.weight,
        base: share.base,
      })),
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: args.subnetIds,
        assignPublicIp: false,
        securityGroups: [securityGroup.id, ...args.extraSecurityGroupIds],
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      availabilityZoneRebalancing: "ENABLED",
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      ...(args.loadBalancer
        ? {
            loadBalancers: [
              {
                targetGroupArn: args.loadBalancer.targetGroupArn,
                containerName: CONTAINER_NAME,
                containerPort: port,
              },
            ],
            healthCheckGracePeriodSeconds: 60,
          }
        : {}),
      waitForSteadyState: true,
      tags,
    },
    {
      dependsOn: args.loadBalancer?.dependsOn ?? [],
      // Autoscaling owns the task count once it is on.
      ignoreChanges: args.autoscaling ? ["desiredCount"] : [],
    },
  );

  if (args.autoscaling) {
    const target = new aws.appautoscaling.Target("scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.cluster.name}/${service.name}`,
      minCapacity: args.autoscaling.minCount,
      maxCapacity: args.autoscaling.maxCount,
      tags,
    });
    new aws.appautoscaling.Policy("scaling-cpu", {
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: args.autoscaling.targetCpuPercent,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
  }
  return { service, securityGroup };
}
