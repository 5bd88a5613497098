// The `loadBalancer` / `ingress` spec field, apart from the load balancer it builds
// (load-balancer.ts), so specs validate without Pulumi.
import { z } from "zod";
import { cidrList } from "./cidr-list.ts";

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
