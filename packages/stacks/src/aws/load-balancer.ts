// An Application Load Balancer in front of Fargate tasks (ecs-service, workload on ECS):
// internet-facing in the public subnets or internal in the private ones, admitting only the
// given ranges, HTTPS with a modern TLS policy when a certificate is given (HTTP then redirects),
// health-checking the targets on the spec's path.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerSpec } from "./load-balancer-field.ts";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export type { LoadBalancerSpec } from "./load-balancer-field.ts";

export interface LoadBalancerArgs {
  spec: LoadBalancerSpec;
  vpcId: pulumi.Input<string>;
  vpcCidrBlock: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<string>[];
  privateSubnetIds: pulumi.Input<string>[];
  targetPort: number;
  tags: Record<string, string>;
}

export interface LoadBalancer {
  loadBalancer: aws.lb.LoadBalancer;
  targetGroup: aws.lb.TargetGroup;
  securityGroup: aws.ec2.SecurityGroup;
  listeners: aws.lb.Listener[];
}

export function applicationLoadBalancer(args: LoadBalancerArgs): LoadBalancer {
  const { spec, tags } = args;
  const https = spec.certificateArn !== undefined;
  const sources: pulumi.Input<string>[] =
    spec.allowedCidrs ?? (spec.public ? ["0.0.0.0/0"] : [args.vpcCidrBlock]);
  const securityGroup = new aws.ec2.SecurityGroup("load-balancer", {
    description: "Load balancer: HTTP(S) from the admitted ranges, out to the targets only",
    vpcId: args.vpcId,
    tags,
  });
  for (const [index, cidr] of sources.entries())
    for (const port of https ? [80, 443] : [80])
      new aws.vpc.SecurityGroupIngressRule(`load-balancer-${port}-${index}`, {
        securityGroupId: securityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        tags,
      });
  new aws.vpc.SecurityGroupEgressRule("load-balancer-to-targets", {
    securityGroupId: securityGroup.id,
    cidrIpv4: args.vpcCidrBlock,
    ipProtocol: "tcp",
    fromPort: args.targetPort,
    toPort: args.targetPort,
    tags,
  });

  const loadBalancer = new aws.lb.LoadBalancer("load-balancer", {
    loadBalancerType: "application",
    internal: !spec.public,
    subnets: spec.public ? args.publicSubnetIds : args.privateSubnetIds,
    securityGroups: [securityGroup.id],
    dropInvalidHeaderFields: true,
    tags,
  });
  const targetGroup = new aws.lb.TargetGroup("targets", {
    targetType: "ip",
    protocol: "HTTP",
    port: args.targetPort,
    vpcId: args.vpcId,
    deregistrationDelay: 30,
    healthCheck: {
      enabled: true,
      protocol: "HTTP",
      path: spec.healthCheckPath,
      matcher: "200-399",
      interval: 15,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
    tags,
  });
  const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
  const listeners = https
    ? [
        new aws.lb.Listener("https", {
          loadBalancerArn: loadBalancer.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: TLS_POLICY,
          certificateArn: spec.certificateArn,
          defaultActions: forward,
          tags,
        }),
        new aws.lb.Listener("http", {
          loadBalancerArn: loadBalancer.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
          ],
          tags,
        }),
      ]
    : [
        new aws.lb.Listener("http", {
          loadBalancerArn: loadBalancer.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: forward,
          tags,
        }),
      ];
  return { loadBalancer, targetGroup, securityGroup, listeners };
}
