// Guardrails: the platform policy refuses specs that break it, with a message naming the rule,
// on create and on update; admins can read it.
import { fileURLToPath } from "node:url";
import * as registry from "@gantry/stacks";
import { describe, expect, it } from "vitest";
import { createPolicyChecker } from "../src/policy/policy-check.ts";
import { loadPolicyFile, type PlatformPolicy } from "../src/policy/policy-schema.ts";
import { call, unique, useApi } from "./support.ts";

const policy: PlatformPolicy = {
  allowedRegions: ["eu-west-1", "us-east-1"],
  allowedInstanceClasses: ["db.t4g.medium", "db.m7g.large"],
  maxNodeCount: 10,
  requiredTags: ["cost-center", "owner"],
  allowedInstanceTypes: ["m7g.large"],
  allowedKubernetesVersions: ["1.32", "1.33"],
};

// The real registry with the real AWS kinds, and this policy.
const { api, team } = useApi("policy", { kinds: registry, policy });

const create = (body: unknown) => call(api.app, "POST", "/v1/stacks", { token: team.tokens.operator, body });

describe("policy enforcement through the API", () => {
  it("refuses an rds-database instance class the policy does not allow, naming the rule", async () => {
    const res = await create({
      kind: "rds-database",
      name: unique("db"),
      spec: { instanceClass: "db.r7g.16xlarge" },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("policy_violation");
    expect(res.body.message).toBe(
      'spec.instanceClass: policy "allowedInstanceClasses": instance class "db.r7g.16xlarge" is not allowed ' +
        "(allowed: db.t4g.medium, db.m7g.large)",
    );
    expect(res.body.issues).toEqual([
      { path: "spec.instanceClass", message: expect.stringMatching(/^policy/) },
    ]);
  });

  it("accepts an allowed class, then refuses an update to a forbidden one", async () => {
    const network = await create({ kind: "network", name: unique("net"), spec: {} });
    expect(network.status).toBe(202);
    const db = await create({
      kind: "rds-database",
      name: unique("db"),
      spec: { instanceClass: "db.m7g.large" },
      dependsOn: [network.body.stack.name],
    });
    expect(db.status).toBe(202);
    const patched = await call(api.app, "PATCH", `/v1/stacks/${db.body.stack.id}`, {
      token: team.tokens.operator,
      body: { spec: { instanceClass: "db.r7g.large" } },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.message).toMatch(/^spec\.instanceClass: policy "allowedInstanceClasses"/);
    const stack = await call(api.app, "GET", `/v1/stacks/${db.body.stack.id}`, { token: team.tokens.viewer });
    expect(stack.body.spec.instanceClass).toBe("db.m7g.large");
  });

  it("checks defaults too: a spec that omits the class gets the kind's default, which must be allowed", async () => {
    const strict = createPolicyChecker({ allowedInstanceClasses: ["db.m7g.large"] });
    const parsed = registry.parseSpec("rds-database", {});
    if (!parsed.ok) throw new Error("the default rds spec does not parse");
    expect(strict.issues("rds-database", parsed.spec)).toEqual([
      {
        path: "instanceClass",
        message:
          'policy "allowedInstanceClasses": instance class "db.t4g.medium" is not allowed (allowed: db.m7g.large)',
      },
    ]);
  });

  it("refuses an eks-cluster's version, instance types and node count the policy does not allow", async () => {
    const res = await create({
      kind: "eks-cluster",
      name: unique("eks"),
      spec: {
        kubernetesVersion: "1.34",
        compute: {
          mode: "nodeGroups",
          architecture: "arm64",
          instanceTypes: ["m7g.large", "c7g.large"],
          maxPerZone: 12,
        },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("policy_violation");
    expect(res.body.issues).toEqual([
      {
        path: "spec.compute.instanceTypes[1]",
        message:
          'policy "allowedInstanceTypes": instance type "c7g.large" is not allowed (allowed: m7g.large)',
      },
      {
        path: "spec.kubernetesVersion",
        message:
          'policy "allowedKubernetesVersions": Kubernetes version "1.34" is not allowed (allowed: 1.32, 1.33)',
      },
      {
        path: "spec.compute.maxPerZone",
        message: 'policy "maxNodeCount": 12 nodes is more than the 10 allowed',
      },
    ]);
  });

  it("accepts a compliant eks-cluster (Auto Mode has no instance types to check), then refuses growing it past maxNodeCount", async () => {
    const auto = await create({
      kind: "eks-cluster",
      name: unique("eks"),
      spec: { kubernetesVersion: "1.33", compute: { mode: "autoMode" } },
    });
    expect(auto.status, JSON.stringify(auto.body)).toBe(202);
    const groups = await create({
      kind: "eks-cluster",
      name: unique("eks"),
      spec: {
        kubernetesVersion: "1.32",
        compute: { mode: "nodeGroups", architecture: "arm64", instanceTypes: ["m7g.large"], maxPerZone: 10 },
      },
    });
    expect(groups.status, JSON.stringify(groups.body)).toBe(202);
    const grown = await call(api.app, "PATCH", `/v1/stacks/${groups.body.stack.id}`, {
      token: team.tokens.operator,
      body: {
        spec: {
          compute: {
            mode: "nodeGroups",
            architecture: "arm64",
            instanceTypes: ["m7g.large"],
            maxPerZone: 11,
          },
        },
      },
    });
    expect(grown.status).toBe(422);
    expect(grown.body.message).toBe(
      'spec.compute.maxPerZone: policy "maxNodeCount": 11 nodes is more than the 10 allowed',
    );
  });

  it("does not check kinds without a mapping (pg-database)", async () => {
    expect((await create({ kind: "pg-database", name: unique("pg"), spec: {} })).status).toBe(202);
  });

  it("serves the active policy to admins only", async () => {
    const res = await call(api.app, "GET", "/v1/policy", { token: team.tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.policy).toEqual(policy);
    expect(res.body.coverage).toEqual({
      allowedRegions: ["network", "rds-database"],
      allowedInstanceTypes: ["eks-cluster"],
      allowedInstanceClasses: ["rds-database"],
      maxNodeCount: ["eks-cluster"],
      requiredTags: [],
      allowedKubernetesVersions: ["eks-cluster"],
    });
    expect((await call(api.app, "GET", "/v1/policy", { token: team.tokens.operator })).status).toBe(403);
  });
});

describe("every rule, on a kind mapped for all of them", () => {
  const checker = createPolicyChecker(policy, {
    cluster: {
      allowedRegions: ["region"],
      allowedKubernetesVersions: ["version"],
      allowedInstanceTypes: ["nodeGroups[*].instanceTypes[*]"],
      maxNodeCount: ["nodeGroups[*].maxSize"],
      requiredTags: ["tags"],
    },
  });
  const good = {
    region: "eu-west-1",
    version: "1.33",
    nodeGroups: [{ instanceTypes: ["m7g.large"], maxSize: 10 }],
    tags: { "cost-center": "42", owner: "payments" },
  };

  it("passes a compliant spec", () => {
    expect(checker.issues("cluster", good)).toEqual([]);
  });

  it.each([
    [
      { region: "ap-east-1" },
      "region",
      'policy "allowedRegions": region "ap-east-1" is not allowed (allowed: eu-west-1, us-east-1)',
    ],
    [
      { version: "1.29" },
      "version",
      'policy "allowedKubernetesVersions": Kubernetes version "1.29" is not allowed (allowed: 1.32, 1.33)',
    ],
    [
      { nodeGroups: [good.nodeGroups[0], { instanceTypes: ["m7g.large", "p5.48xlarge"], maxSize: 2 }] },
      "nodeGroups[1].instanceTypes[1]",
      'policy "allowedInstanceTypes": instance type "p5.48xlarge" is not allowed (allowed: m7g.large)',
    ],
    [
      { nodeGroups: [{ instanceTypes: ["m7g.large"], maxSize: 50 }] },
      "nodeGroups[0].maxSize",
      'policy "maxNodeCount": 50 nodes is more than the 10 allowed',
    ],
    [{ tags: { owner: "x" } }, "tags", 'policy "requiredTags": tag "cost-center" is required'],
    [{ tags: undefined }, "tags", 'policy "requiredTags": tags "cost-center", "owner" are required'],
  ])("refuses %j", (change, path, message) => {
    expect(checker.issues("cluster", { ...good, ...change })).toEqual([{ path, message }]);
  });

  it("enforce() answers 422 with the request's field paths", () => {
    expect(() => checker.enforce("cluster", { ...good, region: "ap-east-1" })).toThrow(
      expect.objectContaining({
        statusCode: 422,
        code: "policy_violation",
        issues: [expect.objectContaining({ path: "spec.region" })],
      }),
    );
  });
});

describe("the policy file", () => {
  it("the repository's default file is valid", async () => {
    const path = fileURLToPath(new URL("../../../config/platform-policy.json", import.meta.url));
    const loaded = await loadPolicyFile(path);
    expect(loaded.allowedRegions?.length).toBeGreaterThan(0);
  });

  it("a file with an unknown or malformed rule is refused, naming it", async () => {
    const { writeFile, mkdtemp } = await import("node:fs/promises");
    const dir = await mkdtemp(`${process.env.TMPDIR ?? "/tmp"}/policy-`);
    await writeFile(`${dir}/p.json`, JSON.stringify({ allowedRegion: ["eu-west-1"], maxNodeCount: -1 }));
    await expect(loadPolicyFile(`${dir}/p.json`)).rejects.toThrow(
      /is invalid: .*maxNodeCount.*|allowedRegion/,
    );
  });
});
