// The `compute` field of an eks-cluster spec: managed node groups, Auto Mode or Fargate.
import { z } from "zod";
import { namespaceName } from "../../kubernetes-names.ts";

/** Graviton (arm64) instance families carry a "g" after the generation: m7g, c7gn, r8gd, t4g. */
export function isGravitonType(instanceType: string): boolean {
  const family = instanceType.split(".")[0] ?? "";
  return family.replace(/^[a-z]+\d+/, "").includes("g");
}

const instanceType = z
  .string()
  .max(32)
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m7i.large");

export const nodeGroups = z.strictObject({
  mode: z.literal("nodeGroups").describe("Managed node groups, one per availability zone."),
  instanceTypes: z
    .array(instanceType)
    .min(1)
    .max(10)
    .optional()
    .describe(
      "EC2 instance types; m7i.large (x86_64) or m7g.large (arm64) when omitted. Spot needs two or more.",
    ),
  architecture: z
    .enum(["x86_64", "arm64"])
    .default("x86_64")
    .describe("CPU architecture of the nodes (arm64: Graviton)."),
  amiFamily: z
    .enum(["al2023", "bottlerocket"])
    .default("al2023")
    .describe("Node operating system: Amazon Linux 2023 or Bottlerocket (minimal, immutable)."),
  capacityType: z
    .enum(["onDemand", "spot"])
    .default("onDemand")
    .describe("On-Demand, or Spot (cheaper, reclaimable with two minutes' notice)."),
  minPerZone: z.int().min(0).max(100).default(1).describe("Fewest nodes in each availability zone."),
  maxPerZone: z.int().min(1).max(100).default(3).describe("Most nodes in each availability zone."),
  diskSizeGb: z
    .int()
    .min(20)
    .max(16384)
    .default(50)
    .describe("Encrypted gp3 root (or Bottlerocket data) volume per node, GiB."),
});

export const autoMode = z.strictObject({
  mode: z.literal("autoMode").describe("EKS Auto Mode: EKS picks, runs and scales the nodes."),
  nodePools: z
    .array(z.enum(["general-purpose", "system"]))
    .min(1)
    .max(2)
    .default(["general-purpose", "system"])
    .describe("Built-in Auto Mode node pools EKS runs and scales."),
});

export const fargate = z.strictObject({
  mode: z.literal("fargate").describe("Fargate profiles: each pod on its own micro-VM, no nodes."),
  namespaces: z
    .array(namespaceName())
    .min(1)
    .max(5)
    .default(["default"])
    .describe("Namespaces whose pods run on Fargate (kube-system is always included, for CoreDNS)."),
});
