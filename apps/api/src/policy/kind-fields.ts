// Which spec fields each policy rule reads, per kind. Paths are relative to the spec: `a.b`, and
// `[*]` for every item of a list (`nodeGroups[*].instanceTypes[*]`). A kind (or a rule) without an
// entry is simply not checked for that rule; adding a kind means adding its line here.
import type { PolicyRule } from "./policy-schema.ts";

export type KindFieldMap = Readonly<Record<string, Partial<Record<PolicyRule, readonly string[]>>>>;

export const KIND_POLICY_FIELDS: KindFieldMap = {
  // Neither has a region field yet (they are provisioned in the worker's AWS_REGION): the region
  // rule reads one as soon as it exists. Neither takes tags (Gantry tags them, aws/tags.ts), so
  // requiredTags is not mapped: a rule a spec cannot satisfy would refuse every one of them.
  network: { allowedRegions: ["region"] },
  "rds-database": { allowedRegions: ["region"], allowedInstanceClasses: ["instanceClass"] },
  // A node group per availability zone, each growing to compute.maxPerZone nodes; instance types
  // and sizes exist only in nodeGroups mode (Auto Mode and Fargate pick their own capacity, so
  // there is nothing to read). Omitted instanceTypes are Gantry's defaults (m7i.large, m7g.large),
  // which a policy listing instance types must allow: the rule reads only what the spec names.
  "eks-cluster": {
    allowedKubernetesVersions: ["kubernetesVersion"],
    allowedInstanceTypes: ["compute.instanceTypes[*]"],
    maxNodeCount: ["compute.maxPerZone"],
  },
  // Fargate tasks have no instance type and no nodes, neither kind has a version or a region, and
  // Gantry tags them itself: no rule has a field to read. Listed so that is a decision, not a gap;
  // a workload on EKS is held by its eks-cluster's rules.
  "ecs-service": {},
  workload: {},
};

/** Values at a path, each with its own concrete path (`nodeGroups[1].maxSize`). */
export function valuesAt(spec: unknown, path: string): { path: string; value: unknown }[] {
  let found: { path: string; value: unknown }[] = [{ path: "", value: spec }];
  for (const part of path.split(".")) {
    const [, key, all] = /^([^[]*)(\[\*\])?$/.exec(part) ?? [];
    found = found.flatMap(({ path: at, value }) => {
      const child = isObject(value) && key ? value[key] : undefined;
      const childPath = at ? `${at}.${key}` : (key ?? "");
      if (child === undefined) return [];
      if (!all) return [{ path: childPath, value: child }];
      return Array.isArray(child)
        ? child.map((item, i) => ({ path: `${childPath}[${i}]`, value: item }))
        : [];
    });
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
