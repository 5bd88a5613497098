// PATCH and DELETE /v1/stacks/:id: each queues an operation (202) and refuses what cannot be.
import { describe, expect, it } from "vitest";
import { call, createTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("change");

async function createStack(kind = "pg-database", spec: object = {}, dependsOn?: string[]) {
  const res = await call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.operator,
    body: {
      kind,
      name: unique(kind === "pg-database" ? "db" : "app"),
      spec,
      ...(dependsOn ? { dependsOn } : {}),
    },
  });
  expect(res.status).toBe(202);
  return res.body.stack as { id: string; name: string };
}
const patch = (id: string, body: unknown, token = team.tokens.operator) =>
  call(api.app, "PATCH", `/v1/stacks/${id}`, { token, body });
const destroy = (id: string, token = team.tokens.admin) =>
  call(api.app, "DELETE", `/v1/stacks/${id}`, { token });

describe("PATCH /v1/stacks/:id", () => {
  it("merges the change into the spec and queues an up with the merged spec", async () => {
    const stack = await createStack("pg-database", { connectionLimit: 5, extensions: ["citext"] });
    const res = await patch(stack.id, { spec: { connectionLimit: 7 } });
    expect(res.status).toBe(202);
    expect(res.body.stack.spec).toEqual({ connectionLimit: 7, extensions: ["citext"] });
    expect(res.body.operation).toMatchObject({ kind: "up", status: "queued", spec: res.body.stack.spec });
    expect(res.body.stack.lastOperation.id).toBe(res.body.operation.id);
    expect(await api.db.outboxEntry.count({ where: { operationId: res.body.operation.id } })).toBe(1);

    const reset = await patch(stack.id, { spec: { extensions: null } });
    expect(reset.body.stack.spec).toEqual({ connectionLimit: 7, extensions: [] });
  });

  it("refuses an invalid change with 422 and leaves the spec as it was", async () => {
    const stack = await createStack();
    const res = await patch(stack.id, { spec: { connectionLimit: -5, colour: "red" } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      "spec.connectionLimit: must be at least -1; spec.colour: is not a known field",
    );
    const after = await call(api.app, "GET", `/v1/stacks/${stack.id}`, { token: team.tokens.viewer });
    expect(after.body.spec).toEqual({ connectionLimit: 20, extensions: [] });
  });

  it("refuses unknown body fields, unknown ids and viewers", async () => {
    const stack = await createStack();
    expect((await patch(stack.id, { spec: {}, name: "renamed" })).status).toBe(400);
    expect((await patch(stack.id, {})).body.message).toBe("spec: is required");
    expect((await patch("00000000-0000-4000-8000-000000000000", { spec: {} })).status).toBe(404);
    expect((await patch(stack.id, { spec: {} }, team.tokens.viewer)).status).toBe(403);
  });

  it("refuses changes to a stack that is being or has been destroyed with 409", async () => {
    const stack = await createStack();
    expect((await destroy(stack.id)).status).toBe(202);
    const queued = await patch(stack.id, { spec: { connectionLimit: 3 } });
    expect(queued.status).toBe(409);
    expect(queued.body.error).toBe("stack_destroying");
    await api.db.stack.update({ where: { id: stack.id }, data: { status: "destroyed" } });
    const gone = await patch(stack.id, { spec: { connectionLimit: 3 } });
    expect(gone.body).toMatchObject({ error: "stack_destroyed" });
  });
});

describe("PATCH /v1/stacks/:id with dependsOn", () => {
  const dependsOnOf = async (id: string) =>
    (await call(api.app, "GET", `/v1/stacks/${id}`, { token: team.tokens.viewer })).body.dependsOn.map(
      (d: { name: string }) => d.name,
    );

  it("replaces the dependencies with the spec; a dropped one holds its destroy until an up without it succeeds", async () => {
    const [first, second] = [await createStack(), await createStack()];
    const app = await createStack("test-app", {}, [first.name]);
    const moved = await patch(app.id, { spec: {}, dependsOn: [second.id] });
    expect(moved.status).toBe(202);
    expect(moved.body.operation).toMatchObject({ kind: "up", status: "queued" });
    expect(moved.body.stack.dependsOn.map((d: { name: string }) => d.name)).toEqual([second.name]);

    // The queued up has not run: the app may still stand on the first, so it is not destroyed first.
    const held = await destroy(first.id);
    expect(held.status).toBe(409);
    expect(held.body.message).toBe(
      `stack "${first.name}" is used by ${app.name} (until its next successful up without it); destroy those first`,
    );
    // Taken back before that up: an ordinary dependency again, and the second is the released one.
    await patch(app.id, { spec: {}, dependsOn: [first.name] });
    expect(await dependsOnOf(app.id)).toEqual([first.name]);
    expect((await destroy(first.id)).body.message).toBe(
      `stack "${first.name}" is used by ${app.name}; destroy those first`,
    );
    expect((await destroy(second.id)).body.message).toContain(`${app.name} (until its next successful up`);
  });

  it("checks a new dependsOn as at creation and changes nothing when it is refused", async () => {
    const db = await createStack();
    const app = await createStack("test-app", {}, [db.name]);
    const other = await createStack("test-app");
    const res = await patch(app.id, { spec: {}, dependsOn: ["ghost", other.name] });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([
      { path: "dependsOn[0]", message: 'no stack "ghost" in this team' },
      {
        path: "dependsOn[1]",
        message: `"${other.name}" is a test-app; a test-app may depend on: pg-database`,
      },
    ]);
    expect(await dependsOnOf(app.id)).toEqual([db.name]);
    expect(await api.db.operation.count({ where: { stackId: app.id } })).toBe(1);
  });
});

describe("DELETE /v1/stacks/:id", () => {
  it("queues a destroy with the current spec (admins only)", async () => {
    const stack = await createStack("pg-database", { connectionLimit: 9 });
    expect((await destroy(stack.id, team.tokens.operator)).status).toBe(403);
    const res = await destroy(stack.id);
    expect(res.status).toBe(202);
    expect(res.body.operation).toMatchObject({
      kind: "destroy",
      status: "queued",
      spec: { connectionLimit: 9 },
    });
    expect(res.body.stack.id).toBe(stack.id);
    expect(await api.db.outboxEntry.count({ where: { operationId: res.body.operation.id } })).toBe(1);
    const again = await destroy(stack.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("stack_destroying");
  });

  it("refuses with 409 naming the dependents that are not destroyed", async () => {
    const db = await createStack();
    const app1 = await createStack("test-app", {}, [db.name]);
    const app2 = await createStack("test-app", {}, [db.id]);
    const res = await destroy(db.id);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("stack_has_dependents");
    expect(res.body.message).toContain(app1.name);
    expect(res.body.message).toContain(app2.name);

    await api.db.stack.updateMany({
      where: { id: { in: [app1.id, app2.id] } },
      data: { status: "destroyed" },
    });
    expect((await destroy(db.id)).status).toBe(202);
  });

  it("refuses a destroyed dependency for a new stack", async () => {
    const db = await createStack();
    await api.db.stack.update({ where: { id: db.id }, data: { status: "destroyed" } });
    const res = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "test-app", name: unique("app"), spec: {}, dependsOn: [db.name] },
    });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: "dependsOn[0]", message: `"${db.name}" is destroyed` }]);
  });

  it("answers 404 for another team's stack", async () => {
    const stack = await createStack();
    const other = await createTeam(api.db, "change-other");
    expect((await destroy(stack.id, other.tokens.admin)).status).toBe(404);
    expect((await patch(stack.id, { spec: {} }, other.tokens.admin)).status).toBe(404);
  });
});
