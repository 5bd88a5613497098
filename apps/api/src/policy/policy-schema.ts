// The platform policy: guardrails every submitted spec must respect. A rule that is absent is not
// enforced. Read from a JSON file at start-up (config.ts names it) and validated here.
import { readFile } from "node:fs/promises";
import { ApprovalRule } from "@gantry/core";
import { z } from "zod";

const Names = z.array(z.string().min(1).max(64)).max(200);

export const PlatformPolicy = z
  .strictObject({
    allowedRegions: Names.optional().describe("AWS regions stacks may be placed in."),
    allowedInstanceTypes: Names.optional().describe("EC2 instance types (node groups, container hosts)."),
    allowedInstanceClasses: Names.optional().describe("RDS instance classes."),
    maxNodeCount: z.int().min(0).max(10_000).optional().describe("Largest node count of any node group."),
    requiredTags: Names.optional().describe("Tag keys every stack's `tags` must carry."),
    allowedKubernetesVersions: Names.optional().describe("Kubernetes versions clusters may run."),
    approvals: z
      .array(ApprovalRule)
      .max(50)
      .optional()
      .describe(
        "Changes that wait for an admin other than the requester to approve their previewed plan (README, Approvals).",
      ),
  })
  .meta({ id: "PlatformPolicy" });
export type PlatformPolicy = z.output<typeof PlatformPolicy>;
export type PolicyRule = keyof PlatformPolicy;

/** Reads and validates a policy file; the error names the file and every refused field. */
export async function loadPolicyFile(path: string): Promise<PlatformPolicy> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new Error(`policy file ${path}: ${(err as Error).message}`);
  }
  const result = PlatformPolicy.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new Error(`policy file ${path} is invalid: ${problems.join("; ")}`);
  }
  return result.data;
}
