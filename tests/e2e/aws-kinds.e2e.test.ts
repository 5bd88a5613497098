// The AWS kinds through the real API and worker on a machine without AWS credentials: requests
// are validated and stored, their operations fail at once with a message a person can act on,
// and dependencies between stacks are enforced.
import { randomBytes } from "node:crypto";
import { NO_AWS_CREDENTIALS } from "@gantry/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gantry, startGantry } from "./gantry.ts";

// Whatever this machine has, the worker sees a region and no credential source at all: no
// variables, no shared files, and no instance metadata.
const NO_CREDENTIALS = {
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
  AWS_ROLE_ARN: "",
  AWS_WEB_IDENTITY_TOKEN_FILE: "",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
  AWS_CONFIG_FILE: "/nonexistent/gantry-e2e/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/gantry-e2e/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};

let gantry: Gantry;
const suffix = randomBytes(3).toString("hex");

beforeAll(async () => {
  gantry = await startGantry(NO_CREDENTIALS);
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
});

async function expectCredentialFailure(operationId: string, stackId: string) {
  const op = await gantry.finished(operationId);
  expect(op.status).toBe("failed");
  expect(op.error).toEqual({ message: NO_AWS_CREDENTIALS, retryable: false });
  expect((await gantry.call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("failed");
}

describe("AWS kinds without AWS credentials", () => {
  const network = `net-${suffix}`;
  let networkId: string;

  it("stores a network with its defaults and fails its run with a clear message", async () => {
    const created = await gantry.call("POST", "/v1/stacks", { kind: "network", name: network, spec: {} });
    expect(created.status).toBe(202);
    expect(created.body.stack.spec).toEqual({
      cidrBlock: "10.0.0.0/16",
      availabilityZones: 3,
      natGateways: "onePerAz",
    });
    networkId = created.body.stack.id;
    await expectCredentialFailure(created.body.operation.id, networkId);
  });

  it.each([["rds-database", { engine: "postgres" }]])(
    "accepts a %s on the network and fails its run with the same message",
    async (kind, spec) => {
      const created = await gantry.call("POST", "/v1/stacks", {
        kind,
        name: `${kind.split("-")[0]}-${suffix}`,
        spec,
        dependsOn: [network],
      });
      expect(created.status).toBe(202);
      expect(created.body.stack.dependsOn).toEqual([{ id: networkId, name: network, kind: "network" }]);
      await expectCredentialFailure(created.body.operation.id, created.body.stack.id);
    },
  );

  const cluster = `eks-${suffix}`;
  let clusterId: string;
  const image = "public.ecr.aws/nginx/nginx:1.27";

  it("stores an eks-cluster with a network of its own and fails its run with the same message", async () => {
    const created = await gantry.call("POST", "/v1/stacks", {
      kind: "eks-cluster",
      name: cluster,
      spec: { kubernetesVersion: "1.32", compute: { mode: "nodeGroups", architecture: "arm64" } },
    });
    expect(created.status).toBe(202);
    expect(created.body.stack.spec).toMatchObject({
      kubernetesVersion: "1.32",
      publicAccessCidrs: [],
      deletionProtection: true,
      compute: { mode: "nodeGroups", architecture: "arm64", amiFamily: "al2023", minPerZone: 1 },
    });
    expect(created.body.stack.dependsOn).toEqual([]);
    clusterId = created.body.stack.id;
    await expectCredentialFailure(created.body.operation.id, created.body.stack.id);
  });

  it("upgrades an eks-cluster one minor version at a time, refusing skips and downgrades", async () => {
    const skipped = await gantry.call("PATCH", `/v1/stacks/${clusterId}`, {
      spec: { kubernetesVersion: "1.34" },
    });
    expect(skipped.status).toBe(422);
    expect(skipped.body).toMatchObject({
      error: "invalid_spec",
      message:
        "spec.kubernetesVersion: must upgrade one minor version at a time: from 1.32 to 1.33 first " +
        "(EKS upgrades the control plane one minor version per update)",
    });
    const upgraded = await gantry.call("PATCH", `/v1/stacks/${clusterId}`, {
      spec: { kubernetesVersion: "1.33" },
    });
    expect(upgraded.status).toBe(202);
    await expectCredentialFailure(upgraded.body.operation.id, clusterId);
    const back = await gantry.call("PATCH", `/v1/stacks/${clusterId}`, {
      spec: { kubernetesVersion: "1.32" },
    });
    expect(back.status).toBe(422);
    expect(back.body.message).toBe(
      "spec.kubernetesVersion: cannot go back from 1.33 to 1.32: EKS cannot downgrade a cluster",
    );
  });

  it("stores an ecs-service on the network and fails its run with the same message", async () => {
    const created = await gantry.call("POST", "/v1/stacks", {
      kind: "ecs-service",
      name: `ecs-${suffix}`,
      spec: { image, cpu: 512, memory: 1024, loadBalancer: { public: true } },
      dependsOn: [network],
    });
    expect(created.status).toBe(202);
    expect(created.body.stack.spec).toMatchObject({
      image,
      capacityProviders: [{ provider: "FARGATE", weight: 1, base: 0 }],
      loadBalancer: { public: true, healthCheckPath: "/healthz" },
    });
    await expectCredentialFailure(created.body.operation.id, created.body.stack.id);
  });

  it("refuses an ecs-service on arm64 with Fargate Spot", async () => {
    const refused = await gantry.call("POST", "/v1/stacks", {
      kind: "ecs-service",
      name: `spot-${suffix}`,
      spec: { image, architecture: "arm64", capacityProviders: [{ provider: "FARGATE_SPOT" }] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain("FARGATE_SPOT cannot run arm64 tasks");
  });

  it("stores a workload on the cluster bound to the database, moves it to ECS, failing each run clearly", async () => {
    const created = await gantry.call("POST", "/v1/stacks", {
      kind: "workload",
      name: `app-${suffix}`,
      spec: { image, databases: [{ stack: `rds-${suffix}` }] },
      dependsOn: [cluster, `rds-${suffix}`],
    });
    expect(created.status).toBe(202);
    expect(created.body.stack.spec).toMatchObject({
      target: "eks",
      replicas: 2,
      databases: [{ envPrefix: "DATABASE" }],
    });
    expect(created.body.stack.dependsOn.map((d: { kind: string }) => d.kind).sort()).toEqual([
      "eks-cluster",
      "rds-database",
    ]);
    await expectCredentialFailure(created.body.operation.id, created.body.stack.id);
    const moved = await gantry.call("PATCH", `/v1/stacks/${created.body.stack.id}`, {
      spec: { target: "ecs" },
    });
    expect(moved.status).toBe(202);
    expect(moved.body.stack.spec.target).toBe("ecs");
    await expectCredentialFailure(moved.body.operation.id, created.body.stack.id);
  });

  it("refuses a workload without its cluster or with a binding it does not depend on", async () => {
    const noCluster = await gantry.call("POST", "/v1/stacks", {
      kind: "workload",
      name: `lost-${suffix}`,
      spec: { image },
      dependsOn: [network],
    });
    expect(noCluster.status).toBe(422);
    expect(noCluster.body.error).toBe("invalid_dependency");
    expect(noCluster.body.message).toContain(
      "a workload with target eks needs an eks-cluster stack in dependsOn",
    );
    const unbound = await gantry.call("POST", "/v1/stacks", {
      kind: "workload",
      name: `lost-${suffix}`,
      spec: { image, databases: [{ stack: "nowhere" }] },
      dependsOn: [cluster],
    });
    expect(unbound.status).toBe(422);
    expect(unbound.body.message).toContain(
      '"nowhere" is not an rds-database or pg-database stack in dependsOn',
    );
  });

  it("refuses a stack without the dependencies it needs, or with ones it may not use", async () => {
    const db = `pg-${suffix}`;
    const created = await gantry.call("POST", "/v1/stacks", {
      kind: "rds-database",
      name: db,
      spec: {},
      dependsOn: [],
    });
    expect(created.status).toBe(422);
    expect(created.body.error).toBe("invalid_dependency");
    expect(created.body.message).toMatch(/network/);
    const onDatabase = await gantry.call("POST", "/v1/stacks", {
      kind: "network",
      name: `net2-${suffix}`,
      spec: {},
      dependsOn: [`rds-${suffix}`],
    });
    expect(onDatabase.status).toBe(422);
    expect(onDatabase.body.error).toBe("invalid_dependency");
    expect(onDatabase.body.message).toContain("a network may not depend on other stacks");
  });

  it("will not destroy a network that stacks still use", async () => {
    const deleted = await gantry.call("DELETE", `/v1/stacks/${networkId}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error).toBe("stack_has_dependents");
    expect(deleted.body.message).toBe(
      `stack "${network}" is used by ecs-${suffix}, rds-${suffix}; destroy those first`,
    );
  });
});
