// One owner per stack: a stack made for a Kubernetes resource (by the stacks service the
// controller calls, acting for that resource) says so, REST changes to it answer 409 naming the
// resource, and a REST stack is handed to a resource only by an explicit adoption.
import { describe, expect, it } from "vitest";
import type { Caller } from "../src/auth/roles.ts";
import { createPolicyChecker } from "../src/policy/policy-check.ts";
import { createStacksService } from "../src/stacks/stacks-service.ts";
import { call, testKinds, unique, useApi } from "./support.ts";

const { api, team } = useApi("managed");

function controllerFor(resource: string): Caller {
  return {
    teamId: team.id,
    teamName: team.name,
    role: "admin",
    tokenId: "kube-controller",
    tokenPrefix: "kube-controller",
    tokenName: resource,
    manager: resource,
  };
}
const stacks = () => createStacksService({ db: api.db, kinds: testKinds, policy: createPolicyChecker({}) });

describe("stacks managed by a Kubernetes resource", () => {
  it("are shown with their owner, and REST changes to them answer 409 naming it", async () => {
    const resource = "PgDatabase payments/orders";
    const { stack } = await stacks().create(controllerFor(resource), {
      kind: "pg-database",
      name: unique("db"),
      spec: {},
    });
    const read = await call(api.app, "GET", `/v1/stacks/${stack.id}`, { token: team.tokens.viewer });
    expect(read.body.managedBy).toBe(resource);

    const token = team.tokens.admin;
    const answers = await Promise.all([
      call(api.app, "PATCH", `/v1/stacks/${stack.id}`, { token, body: { spec: { connectionLimit: 3 } } }),
      call(api.app, "DELETE", `/v1/stacks/${stack.id}`, { token }),
      call(api.app, "POST", `/v1/stacks/${stack.id}/operations`, { token, body: { kind: "refresh" } }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(409);
      expect(answer.body.error).toBe("stack_managed");
      expect(answer.body.message).toContain(
        `managed by the Kubernetes resource ${resource}; change it there`,
      );
    }
    // Its own resource may change it; another may not.
    const changed = await stacks().update(controllerFor(resource), stack.id, {
      spec: { connectionLimit: 3 },
    });
    expect(changed.stack.spec).toMatchObject({ connectionLimit: 3 });
    await expect(
      stacks().update(controllerFor("PgDatabase other/orders"), stack.id, { spec: { connectionLimit: 4 } }),
    ).rejects.toMatchObject({ statusCode: 409, code: "stack_managed" });
  });

  it("adopts a REST stack only explicitly, and only one that nobody manages", async () => {
    const created = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "pg-database", name: unique("db"), spec: {} },
    });
    const id = created.body.stack.id;
    expect(created.body.stack.managedBy).toBeNull();
    const adopted = await stacks().adopt(controllerFor("PgDatabase payments/legacy"), id);
    expect(adopted.managedBy).toBe("PgDatabase payments/legacy");
    await expect(stacks().adopt(controllerFor("PgDatabase payments/thief"), id)).rejects.toMatchObject({
      statusCode: 409,
      code: "stack_managed",
    });
  });
});
