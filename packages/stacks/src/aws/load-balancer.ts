// An Application Load Balancer in front of Fargate tasks (ecs-service, workload on ECS):
// internet-facing in the public subnets or internal in the private ones, admitting only the
// given ranges, HTTPS with a modern TLS policy when a certificate is given (HTTP then redirects),
// health-checking the targets on the spec's path.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { cidrList } from "./cidr-list.ts";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The `loadBalancer` / `ingress` spec field of the kinds that can have one. */
export const loadBalancerField = z
  .strictObject({
    public: z
      .boolean()
      .default(false)
      .describe("Internet-facing in the public subnets; internal (reachable in the VPC) when false."),
    allowedCidrs: cidrList({ allowAnywhere: true, max: 40 })
      .optional()
      .describe("Ranges admitted to the load balancer; anywhere when public, the VPC's range when internal."),
    certificateArn: z
      .string()
      .max(2048)
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "must be an ACM certificate ARN")
      .optional()
      .describe(
        "ACM certificate for HTTPS on 443 (HTTP on 80 then redirects); plain HTTP on 80 when omitted.",
      ),
    healthCheckPath: z
      .string()
      .max(1024)
      .regex(/^\/[\x21-\x7e]*$/, "must be a path starting with /")
      .default("/healthz")
      .describe("Path the load balancer requests on each task; a 200–399 answer means healthy."),
  })
  .describe("An Application Load Balancer in front of the tasks, health-checking them.")
  .meta({ examples: [{ public: true, healthCheckPath: "/healthz" }] });

export type LoadBalancerSpec = z.output<typeof loadBalancerField>;

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
