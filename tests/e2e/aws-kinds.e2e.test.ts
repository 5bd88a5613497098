// The AWS kinds through the real API and worker on a machine without AWS credentials: requests
// are validated and stored, their operations fail at once with a message a person can act on,
// and dependencies between stacks are enforced.
import { randomBytes } from "node:crypto";
import { NO_AWS_CREDENTIALS } from "@gantry/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gantry, startGantry } from "./gantry.ts";

// Whatever this machine has, the worker sees a region and no credentials at all.
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
    expect(deleted.body.message).toBe(`stack "${network}" is used by rds-${suffix}; destroy those first`);
  });
});
