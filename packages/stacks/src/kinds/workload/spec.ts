// The spec of a workload: one container, the same on either data plane, so moving it between EKS
// and ECS Fargate is a change of `target` and nothing else (sizes follow Fargate's table).
import { z } from "zod";
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
import { namespaceName } from "../../kubernetes-names.ts";

export const WORKLOAD_TARGETS = ["eks", "ecs", "kubernetes"] as const;
export type WorkloadTarget = (typeof WORKLOAD_TARGETS)[number];

const databaseBinding = z.strictObject({
  stack: z.string().max(63).describe("Name of an rds-database or pg-database stack in dependsOn."),
  envPrefix: z
    .string()
    .max(32)
    .regex(/^[A-Z][A-Z0-9_]*$/, "must be upper case letters, digits and _, starting with a letter")
    .default("DATABASE")
    .describe(
      "Prefix of the variables the container gets: <prefix>_HOST, _PORT, _NAME, _USER, and the password " +
        "by reference (ECS: <prefix>_PASSWORD injected from Secrets Manager; EKS: from a Kubernetes " +
        "secret, or <prefix>_SECRET_ARN for RDS, readable with the workload's IRSA role).",
    ),
});

export const workloadSpec = z
  .strictObject({
    target: z
      .enum(WORKLOAD_TARGETS)
      .default("eks")
      .describe(
        "Data plane: `eks` (a Deployment on the eks-cluster stack in dependsOn, with IRSA and ALB " +
          "ingress), `kubernetes` (a Deployment in a namespace of its own on any cluster stack in " +
          "dependsOn: eks-cluster or kubernetes-cluster), or `ecs` (a Fargate service in the network " +
          "stack, or the eks-cluster's network). Changing it moves the workload.",
      )
      .meta({ examples: ["eks", "kubernetes", "ecs"] }),
    image: imageField,
    cpu: cpuField,
    memory: memoryField,
    port: portField,
    environment: environmentField,
    replicas: z
      .int()
      .min(1)
      .max(100)
      .default(2)
      .describe(
        "Copies running (the minimum when autoscaling); two or more, spread over zones, survive losing one.",
      )
      .meta({ examples: [2, 3] }),
    autoscaling: z
      .strictObject({
        maxReplicas: z.int().min(1).max(100).describe("Most copies."),
        targetCpuPercent: z.int().min(10).max(90).default(60).describe("Average CPU utilisation to keep."),
      })
      .optional()
      .describe(
        "Scale between replicas and maxReplicas on CPU (EKS: HorizontalPodAutoscaler; ECS: target tracking).",
      )
      .meta({ examples: [{ maxReplicas: 10, targetCpuPercent: 60 }] }),
    healthCheck: z
      .strictObject({
        path: z
          .string()
          .max(1024)
          .regex(/^\/[\x21-\x7e]*$/, "must be a path starting with /")
          .default("/healthz")
          .describe("HTTP path answering 200–399 when the container is healthy."),
        initialDelaySeconds: z.int().min(0).max(600).default(10).describe("Wait before the first check."),
        periodSeconds: z.int().min(5).max(300).default(10).describe("Seconds between checks."),
        failureThreshold: z
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe("Failed checks before the container is restarted."),
      })
      .prefault({})
      .describe("HTTP health check: EKS readiness and liveness probes; the load balancer's check on both.")
      .meta({ examples: [{ path: "/healthz" }] }),
    ingress: loadBalancerField
      .omit({ healthCheckPath: true })
      .optional()
      .describe(
        "An Application Load Balancer in front (EKS: an Ingress for the AWS Load Balancer Controller; ECS: " +
          "an ALB), health-checking healthCheck.path.",
      )
      .meta({ examples: [{ public: true }] }),
    databases: z
      .array(databaseBinding)
      .max(5)
      .default([])
      .describe(
        "Databases the workload uses: it gets their address and a reference to the password, never the password.",
      )
      .meta({ examples: [[{ stack: "orders-db", envPrefix: "DATABASE" }]] }),
    namespace: namespaceName()
      .optional()
      .describe(
        "Kubernetes namespace. eks: an existing one (default `default`; on a Fargate cluster, one its " +
          "profile selects). kubernetes: one the workload creates and owns, deleted with it (default: " +
          "<team>-<stack>). Ignored on ECS.",
      )
      .meta({ examples: ["default", "orders"] }),
    rolloutTimeoutSeconds: z
      .int()
      .min(30)
      .max(3600)
      .default(600)
      .describe(
        "On Kubernetes (eks, kubernetes): how long an up waits for the Deployment's rollout to be " +
          "available before it fails with the reason the pods give.",
      )
      .meta({ examples: [300, 600] }),
    logRetentionDays: logRetentionField("the container's logs on ECS", 30),
  })
  .superRefine((spec, ctx) => {
    checkSize(spec, ctx);
    if (spec.target === "kubernetes") {
      if (spec.namespace && (spec.namespace === "default" || spec.namespace.startsWith("kube-")))
        ctx.addIssue({
          code: "custom",
          path: ["namespace"],
          message:
            "is the cluster's own: with target kubernetes the workload creates and deletes its namespace",
        });
      if (spec.ingress)
        ctx.addIssue({
          code: "custom",
          path: ["ingress"],
          message: "needs target eks or ecs (an ALB); with target kubernetes the Service is cluster-internal",
        });
    }
    if (spec.autoscaling && spec.autoscaling.maxReplicas < spec.replicas)
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "maxReplicas"],
        message: `must be at least replicas (${spec.replicas})`,
      });
    const prefixes = new Set<string>();
    const stacks = new Set<string>();
    for (const [index, binding] of spec.databases.entries()) {
      if (prefixes.has(binding.envPrefix))
        ctx.addIssue({
          code: "custom",
          path: ["databases", index, "envPrefix"],
          message: "is already used by another binding",
        });
      if (stacks.has(binding.stack))
        ctx.addIssue({ code: "custom", path: ["databases", index, "stack"], message: "is already bound" });
      prefixes.add(binding.envPrefix);
      stacks.add(binding.stack);
      for (const name of Object.keys(spec.environment))
        if (name.startsWith(`${binding.envPrefix}_`))
          ctx.addIssue({
            code: "custom",
            path: ["environment", name],
            message: `clashes with database binding ${binding.envPrefix} (${binding.envPrefix}_* are set from it)`,
          });
    }
  })
  .describe(
    "One container on EKS, any Kubernetes cluster, or ECS Fargate: replicas over zones, health checks, autoscaling, databases.",
  )
  .meta({
    examples: [
      { target: "eks", image: "public.ecr.aws/nginx/nginx:1.27", replicas: 2 },
      { target: "kubernetes", image: "nginx:1.27", replicas: 3, autoscaling: { maxReplicas: 6 } },
      {
        target: "ecs",
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2",
        cpu: 512,
        memory: 1024,
        replicas: 3,
        autoscaling: { maxReplicas: 12 },
        ingress: { public: true },
        databases: [{ stack: "orders-db" }],
      },
    ],
  });

export type WorkloadSpec = z.output<typeof workloadSpec>;
