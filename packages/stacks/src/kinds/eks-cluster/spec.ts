// The spec of an eks-cluster stack, and the changes EKS cannot make (skipping or reversing a
// Kubernetes minor version).
import { z } from "zod";
import { cidrList } from "../../aws/cidr-list.ts";
import { logRetentionField } from "../../aws/log-retention.ts";
import { ownNetworkField } from "../../aws/network-field.ts";
import type { SpecIssue } from "../../issues.ts";
import { namespaceName } from "../../kubernetes-names.ts";
import { autoMode, fargate, isGravitonType, nodeGroups } from "./compute-spec.ts";
import { KUBERNETES_VERSIONS } from "./versions.ts";

export const ACCESS_LEVELS = ["cluster-admin", "admin", "edit", "view"] as const;
export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const roleArn = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    "must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admins",
  );

const accessEntry = z.strictObject({
  principalArn: roleArn.describe("IAM role of the team (e.g. its SSO permission set role) that gets access."),
  access: z
    .enum(ACCESS_LEVELS)
    .default("view")
    .describe(
      "EKS access policy: cluster-admin (everything), admin, edit or view (Kubernetes' aggregated roles).",
    ),
  namespaces: z
    .array(namespaceName())
    .max(20)
    .optional()
    .describe("Limit the access to these namespaces; the whole cluster when omitted."),
});

export const eksClusterSpec = z
  .strictObject({
    kubernetesVersion: z
      .enum(KUBERNETES_VERSIONS)
      .default(KUBERNETES_VERSIONS.at(-1) as (typeof KUBERNETES_VERSIONS)[number])
      .describe(
        "Kubernetes minor version of the control plane, node groups and add-ons; the newest when omitted. " +
          "Upgrades go one minor version at a time and never back.",
      )
      .meta({ examples: ["1.34", "1.33"] }),
    publicAccessCidrs: cidrList({ allowAnywhere: false, max: 40 })
      .default([])
      .describe(
        "Ranges that may reach the Kubernetes API over the internet. Empty (the default): the API is " +
          "reachable only from inside the VPC (private endpoint).",
      )
      .meta({ examples: [[], ["203.0.113.0/24"]] }),
    accessEntries: z
      .array(accessEntry)
      .max(20)
      .default([])
      .describe(
        "IAM roles of the team and what they may do in the cluster (access entries; authentication " +
          "mode API, no aws-auth ConfigMap). Gantry's own identity is cluster admin so it can deploy workloads.",
      )
      .meta({
        examples: [
          [{ principalArn: "arn:aws:iam::123456789012:role/payments-admins", access: "cluster-admin" }],
        ],
      }),
    compute: z
      .discriminatedUnion("mode", [nodeGroups, autoMode, fargate], {
        error: "must be one of: nodeGroups, autoMode, fargate",
      })
      .prefault({ mode: "nodeGroups" })
      .describe(
        "Where pods run: `nodeGroups` (managed node groups, one per availability zone, so a pod can always " +
          "be scheduled in the zone of its EBS volume), `autoMode` (EKS Auto Mode manages nodes) or " +
          "`fargate` (Fargate profiles, no nodes; no EBS volumes, no Pod Identity).",
      )
      .meta({
        examples: [
          { mode: "nodeGroups", instanceTypes: ["m7i.large"], minPerZone: 1, maxPerZone: 3 },
          { mode: "autoMode" },
          { mode: "fargate", namespaces: ["default", "apps"] },
        ],
      }),
    logRetentionDays: logRetentionField(
      "the control-plane logs (api, audit, authenticator, controllerManager, scheduler)",
      90,
    ),
    deletionProtection: z
      .boolean()
      .default(true)
      .describe("EKS refuses to delete the cluster; turn off before deleting the stack.")
      .meta({ examples: [true] }),
    network: ownNetworkField,
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of spec.accessEntries.entries()) {
      if (seen.has(entry.principalArn))
        ctx.addIssue({
          code: "custom",
          path: ["accessEntries", index, "principalArn"],
          message: "is already in the list: one entry per role",
        });
      seen.add(entry.principalArn);
      if (entry.access === "cluster-admin" && entry.namespaces)
        ctx.addIssue({
          code: "custom",
          path: ["accessEntries", index, "namespaces"],
          message: "cluster-admin applies to the whole cluster; use admin to limit access to namespaces",
        });
    }
    const compute = spec.compute;
    if (compute.mode !== "nodeGroups") return;
    if (compute.minPerZone > compute.maxPerZone)
      ctx.addIssue({
        code: "custom",
        path: ["compute", "minPerZone"],
        message: `must be at most maxPerZone (${compute.maxPerZone})`,
      });
    for (const [index, type] of (compute.instanceTypes ?? []).entries()) {
      const graviton = isGravitonType(type);
      if (graviton !== (compute.architecture === "arm64"))
        ctx.addIssue({
          code: "custom",
          path: ["compute", "instanceTypes", index],
          message: graviton
            ? `${type} is an arm64 (Graviton) type; set architecture to arm64 or use x86_64 types such as m7i.large`
            : `${type} is an x86_64 type; arm64 nodes need Graviton types such as m7g.large`,
        });
    }
    if (compute.capacityType === "spot" && (compute.instanceTypes?.length ?? 1) < 2)
      ctx.addIssue({
        code: "custom",
        path: ["compute", "instanceTypes"],
        message: "Spot needs at least two instance types, so nodes can be replaced when one type runs out",
      });
  })
  .describe(
    "An Amazon EKS cluster: private API endpoint, encrypted secrets, audited, with its compute and add-ons.",
  )
  .meta({
    examples: [
      {},
      {
        kubernetesVersion: "1.33",
        accessEntries: [
          { principalArn: "arn:aws:iam::123456789012:role/payments-admins", access: "cluster-admin" },
        ],
        compute: {
          mode: "nodeGroups",
          instanceTypes: ["m7g.large", "m6g.large"],
          architecture: "arm64",
          capacityType: "spot",
        },
      },
      { publicAccessCidrs: ["203.0.113.0/24"], compute: { mode: "autoMode" } },
    ],
  });

export type EksClusterSpec = z.output<typeof eksClusterSpec>;

/** Version moves EKS cannot make: backwards, or more than one minor at a time. */
export function eksClusterChangeIssues(previous: EksClusterSpec, next: EksClusterSpec): SpecIssue[] {
  const versions: readonly string[] = KUBERNETES_VERSIONS;
  const from = versions.indexOf(previous.kubernetesVersion);
  const to = versions.indexOf(next.kubernetesVersion);
  if (to < from)
    return [
      {
        path: "kubernetesVersion",
        message: `cannot go back from ${previous.kubernetesVersion} to ${next.kubernetesVersion}: EKS cannot downgrade a cluster`,
      },
    ];
  if (to - from > 1)
    return [
      {
        path: "kubernetesVersion",
        message:
          `must upgrade one minor version at a time: from ${previous.kubernetesVersion} to ` +
          `${versions[from + 1]} first (EKS upgrades the control plane one minor version per update)`,
      },
    ];
  return [];
}
