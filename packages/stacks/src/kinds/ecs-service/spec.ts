// The spec of an ecs-service stack: one container on Fargate, its capacity mix, its exposure and
// its scaling.
import { z } from "zod";
import { cidrList } from "../../aws/cidr-list.ts";
import {
  checkSize,
  cpuField,
  environmentField,
  imageField,
  memoryField,
  portField,
} from "../../aws/fargate/container-fields.ts";
import { loadBalancerField } from "../../aws/load-balancer-field.ts";
import { logRetentionField } from "../../aws/log-retention.ts";
import { ownNetworkField } from "../../aws/network-field.ts";

export const CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;

const capacityShare = z.strictObject({
  provider: z
    .enum(CAPACITY_PROVIDERS)
    .describe("FARGATE (on demand) or FARGATE_SPOT (up to 70% cheaper, interruptible)."),
  weight: z.int().min(0).max(1000).default(1).describe("Relative share of tasks beyond the base."),
  base: z
    .int()
    .min(0)
    .max(100000)
    .default(0)
    .describe("Tasks always placed on this provider first (one provider only)."),
});

export const autoscalingField = z
  .strictObject({
    minCount: z.int().min(1).max(1000).default(2).describe("Fewest tasks."),
    maxCount: z.int().min(1).max(1000).default(10).describe("Most tasks."),
    targetCpuPercent: z
      .int()
      .min(10)
      .max(90)
      .default(60)
      .describe("Average CPU utilisation target tracking keeps the service at."),
  })
  .describe(
    "Target-tracking autoscaling on average CPU; the task count then moves between minCount and maxCount.",
  )
  .meta({ examples: [{ minCount: 2, maxCount: 10, targetCpuPercent: 60 }] });

export const ecsServiceSpec = z
  .strictObject({
    image: imageField,
    cpu: cpuField,
    memory: memoryField,
    architecture: z
      .enum(["x86_64", "arm64"])
      .default("x86_64")
      .describe(
        "CPU architecture of the tasks; arm64 (Graviton) is about 20% cheaper but cannot run on Fargate Spot.",
      )
      .meta({ examples: ["x86_64", "arm64"] }),
    port: portField,
    environment: environmentField,
    healthCheckCommand: z
      .string()
      .max(1024)
      .optional()
      .describe(
        "Shell command run in the container to report health (exit 0 = healthy), e.g. `curl -fs localhost:8080/healthz`.",
      )
      .meta({ examples: ["curl -fs http://localhost:8080/healthz || exit 1"] }),
    desiredCount: z
      .int()
      .min(0)
      .max(1000)
      .default(2)
      .describe("Tasks to run without autoscaling; two or more spread over zones survive losing one.")
      .meta({ examples: [2, 3] }),
    capacityProviders: z
      .array(capacityShare)
      .min(1)
      .max(2)
      .default([{ provider: "FARGATE", weight: 1, base: 0 }])
      .describe("How tasks are split between Fargate and Fargate Spot (by base, then weight).")
      .meta({
        examples: [
          [{ provider: "FARGATE", weight: 1, base: 0 }],
          [
            { provider: "FARGATE", weight: 1, base: 2 },
            { provider: "FARGATE_SPOT", weight: 3 },
          ],
        ],
      }),
    allowedCidrs: cidrList({ allowAnywhere: false, max: 20 })
      .default([])
      .describe(
        "Ranges admitted to the container port directly (besides the load balancer); none by default.",
      )
      .meta({ examples: [[], ["10.0.0.0/16"]] }),
    loadBalancer: loadBalancerField.optional(),
    autoscaling: autoscalingField.optional(),
    logRetentionDays: logRetentionField("the container's logs", 30),
    network: ownNetworkField,
  })
  .superRefine((spec, ctx) => {
    checkSize(spec, ctx);
    const providers = spec.capacityProviders.map((share) => share.provider);
    for (const [index, share] of spec.capacityProviders.entries()) {
      if (providers.indexOf(share.provider) !== index)
        ctx.addIssue({
          code: "custom",
          path: ["capacityProviders", index, "provider"],
          message: `${share.provider} is already in the list`,
        });
      if (share.provider === "FARGATE_SPOT" && spec.architecture === "arm64")
        ctx.addIssue({
          code: "custom",
          path: ["capacityProviders", index, "provider"],
          message: "FARGATE_SPOT cannot run arm64 tasks: use FARGATE only, or architecture x86_64",
        });
    }
    if (spec.capacityProviders.every((share) => share.weight === 0))
      ctx.addIssue({
        code: "custom",
        path: ["capacityProviders"],
        message: "needs a provider with a weight above 0",
      });
    if (spec.capacityProviders.filter((share) => share.base > 0).length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["capacityProviders"],
        message: "only one provider may have a base",
      });
    if (spec.autoscaling && spec.autoscaling.minCount > spec.autoscaling.maxCount)
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "minCount"],
        message: `must be at most maxCount (${spec.autoscaling.maxCount})`,
      });
  })
  .describe("A container service on ECS Fargate in private subnets, optionally behind a load balancer.")
  .meta({
    examples: [
      { image: "public.ecr.aws/nginx/nginx:1.27", port: 8080 },
      {
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2",
        cpu: 1024,
        memory: 2048,
        capacityProviders: [
          { provider: "FARGATE", weight: 1, base: 2 },
          { provider: "FARGATE_SPOT", weight: 3 },
        ],
        loadBalancer: {
          public: true,
          certificateArn:
            "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        },
        autoscaling: { minCount: 2, maxCount: 20, targetCpuPercent: 60 },
      },
      { image: "public.ecr.aws/nginx/nginx:1.27", architecture: "arm64", cpu: 512, memory: 1024 },
    ],
  });

export type EcsServiceSpec = z.output<typeof ecsServiceSpec>;
