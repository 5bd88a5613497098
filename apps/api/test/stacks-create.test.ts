// POST /v1/stacks: the happy path writes stack, operation and outbox row in one transaction (and
// notifies the relay on commit); each kind of bad input gets its status and a readable message.
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { call, createTeam, expectErrorShape, unique, useApi } from "./support.ts";

const { api, team } = useApi("create", { bodyLimit: 4096 });

/** A statement's text, as pool.query was given it (a config object or the text). */
const text = (query: unknown) =>
  typeof query === "string" ? query : ((query as { text?: string })?.text ?? "");

const post = (body: unknown, token = team.tokens.operator) =>
  call(api.app, "POST", "/v1/stacks", { token, body });

describe("POST /v1/stacks", () => {
  it("creates the stack, a queued up operation and an outbox row, and notifies the relay", async () => {
    const listener = new pg.Client({ connectionString: api.url });
    await listener.connect();
    const notified: string[] = [];
    listener.on("notification", (n) => notified.push(n.payload ?? ""));
    await listener.query("LISTEN gantry_outbox");
    try {
      const name = unique("db");
      const res = await post({ kind: "pg-database", name, spec: { connectionLimit: 5 } });
      expect(res.status).toBe(202);
      const { stack, operation } = res.body;
      expect(stack).toMatchObject({
        name,
        kind: "pg-database",
        status: "pending",
        outputs: {},
        dependsOn: [],
      });
      expect(stack.spec).toEqual({ connectionLimit: 5, extensions: [] });
      expect(stack.lastOperation.id).toBe(operation.id);
      expect(operation).toMatchObject({ kind: "up", status: "queued", stackId: stack.id });
      expect(operation.requestedBy).toMatch(/^gnt_\S{8} \(operator token\)$/);
      expect(operation).not.toHaveProperty("teamId");
      expect(operation).not.toHaveProperty("workerId");

      const row = await api.db.operation.findUniqueOrThrow({ where: { id: operation.id } });
      expect(row.spec).toEqual({ connectionLimit: 5, extensions: [] });
      expect(row.teamId).toBe(team.id);
      expect(
        await api.db.outboxEntry.count({ where: { operationId: operation.id, dispatchedAt: null } }),
      ).toBe(1);
      await expect.poll(() => notified).toContain(operation.id);
    } finally {
      await listener.end();
    }
  });

  it("writes nothing when any part of the transaction fails", async () => {
    const name = unique("atomic");
    const admin = new pg.Client({ connectionString: api.url });
    await admin.connect();
    const fn = `fail_outbox_${name.replace(/-/g, "_")}`;
    // Fails the outbox insert for this one stack only, so other test files are unaffected.
    await admin.query(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM operations o JOIN stacks s ON s.id = o.stack_id
                   WHERE o.id = NEW.operation_id AND s.name = '${name}') THEN
          RAISE EXCEPTION 'outbox refused for the atomicity test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ${fn} BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION ${fn}();`);
    try {
      const res = await post({ kind: "pg-database", name, spec: {} });
      expect(res.status).toBe(500);
      expectErrorShape(res.body);
      expect(res.body.message).not.toMatch(/outbox refused/);
      expect(await api.db.stack.count({ where: { name } })).toBe(0);
      expect(await api.db.operation.count({ where: { stack: { name } } })).toBe(0);
    } finally {
      await admin.query(`DROP TRIGGER ${fn} ON outbox; DROP FUNCTION ${fn}();`);
      await admin.end();
    }
  });

  it("refuses an unknown kind with 422 naming it", async () => {
    const res = await post({ kind: "mainframe", name: unique("x"), spec: {} });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "unknown_kind", issues: [{ path: "kind" }] });
    expect(res.body.message).toMatch(/kind: "mainframe" is not a known kind/);
  });

  it.each([
    ["upper case", "Not_A_Label"],
    ["a leading digit", "1db"],
    ["a trailing hyphen", "db-"],
    ["64 characters", `a${"b".repeat(63)}`],
  ])("refuses a name with %s with 400", async (_label, name) => {
    const res = await post({ kind: "pg-database", name, spec: {} });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("validation_failed");
    expect(res.body.message).toMatch(/^name: must be/);
  });

  it("refuses an invalid spec with 422 naming the field and the reason", async () => {
    const res = await post({ kind: "pg-database", name: unique("x"), spec: { connectionLimit: 100000 } });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("invalid_spec");
    expect(res.body.message).toBe("spec.connectionLimit: must be at most 1000");
    expect(res.body.issues).toEqual([{ path: "spec.connectionLimit", message: "must be at most 1000" }]);
  });

  it("refuses an unknown spec field with 422 and an unknown body field with 400", async () => {
    const spec = await post({ kind: "pg-database", name: unique("x"), spec: { colour: "blue" } });
    expect(spec.status).toBe(422);
    expect(spec.body.message).toBe("spec.colour: is not a known field");
    const body = await post({ kind: "pg-database", name: unique("x"), spec: {}, colour: "blue" });
    expect(body.status).toBe(400);
    expect(body.body.message).toBe("colour: is not a known field");
  });

  it("refuses missing fields, wrong types and over-long strings with 400", async () => {
    const res = await post({ name: 5, spec: [] });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual(
      expect.arrayContaining([
        { path: "kind", message: "is required" },
        { path: "name", message: "must be a string" },
        { path: "spec", message: "must be an object" },
      ]),
    );
    const long = await post({ kind: "k".repeat(33), name: unique("x"), spec: {} });
    expect(long.body.message).toBe("kind: must be at most 32 characters long");
  });

  it("refuses bodies that are not JSON objects or are too large", async () => {
    const notJson = await api.app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: { authorization: `Bearer ${team.tokens.operator}`, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(notJson.statusCode).toBe(400);
    expectErrorShape(notJson.json());
    const large = await post({ kind: "pg-database", name: unique("x"), spec: { padding: "x".repeat(5000) } });
    expect(large.status).toBe(413);
    expect(large.body.error).toBe("payload_too_large");
  });

  it("refuses a duplicate name in the team with 409, but allows it in another team", async () => {
    const name = unique("dup");
    expect((await post({ kind: "pg-database", name, spec: {} })).status).toBe(202);
    const again = await post({ kind: "pg-database", name, spec: {} });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "name_taken" });
    expect(again.body.message).toContain(name);
    const other = await createTeam(api.db, "create-other");
    expect((await post({ kind: "pg-database", name, spec: {} }, other.tokens.operator)).status).toBe(202);
  });

  it("creates stacks that arrive together in one statement; a name taken refuses only its own", async () => {
    const other = await createTeam(api.db, "create-together");
    const taken = unique("taken");
    expect((await post({ kind: "pg-database", name: taken, spec: {} })).status).toBe(202);
    // Both tokens resolved once (then from memory), so the creates reach the database together.
    expect((await call(api.app, "GET", "/v1/stacks", { token: other.tokens.operator })).status).toBe(200);
    const names = [unique("one"), unique("two"), unique("three")];
    const statements = vi.spyOn(api.db.pool, "query");

    const [one, two, three, otherTeam] = await Promise.all([
      ...names.map((name) => post({ kind: "pg-database", name, spec: { connectionLimit: 3 } })),
      post({ kind: "pg-database", name: names[0], spec: {} }, other.tokens.operator),
    ]);
    // One statement for the four creates, one for their four audit entries.
    expect(statements.mock.calls.filter(([query]) => /INSERT INTO stacks/.test(text(query)))).toHaveLength(1);
    for (const [res, name] of [
      [one, names[0]],
      [two, names[1]],
      [three, names[2]],
      [otherTeam, names[0]],
    ] as const) {
      expect(res?.status).toBe(202);
      expect(res?.body.stack.name).toBe(name);
      expect(res?.body.operation).toMatchObject({
        kind: "up",
        status: "queued",
        stackId: res?.body.stack.id,
      });
      expect(await api.db.outboxEntry.count({ where: { operationId: res?.body.operation.id } })).toBe(1);
    }
    expect(one?.body.stack.spec).toEqual({ connectionLimit: 3, extensions: [] });

    // The taken name fails the batch's statement: the others are created each on its own.
    statements.mockClear();
    const again = [unique("again"), unique("again")];
    const [first, refused, twice, second] = await Promise.all([
      post({ kind: "pg-database", name: again[0], spec: {} }),
      post({ kind: "pg-database", name: taken, spec: {} }),
      post({ kind: "pg-database", name: again[0], spec: {} }),
      post({ kind: "pg-database", name: again[1], spec: {} }),
    ]);
    expect([first?.status, refused?.status, twice?.status, second?.status]).toEqual([202, 409, 409, 202]);
    // The batch's statement, then one for each.
    expect(statements.mock.calls.filter(([query]) => /INSERT INTO stacks/.test(text(query)))).toHaveLength(5);
    expect(refused?.body).toMatchObject({ error: "name_taken" });
    expect(refused?.body.message).toContain(taken);
    expect(await api.db.stack.count({ where: { name: { in: [taken, ...again] }, teamId: team.id } })).toBe(3);
    statements.mockRestore();
  });

  it("records dependencies given by name or id", async () => {
    const a = (await post({ kind: "pg-database", name: unique("dep"), spec: {} })).body.stack;
    const b = (await post({ kind: "pg-database", name: unique("dep"), spec: {} })).body.stack;
    const res = await post({
      kind: "test-app",
      name: unique("app"),
      spec: {},
      dependsOn: [a.name, b.id, a.id],
    });
    expect(res.status).toBe(202);
    const deps = res.body.stack.dependsOn.map((d: { name: string }) => d.name).sort();
    expect(deps).toEqual([a.name, b.name].sort());
  });

  it("refuses dependencies that are unknown, another team's or of a kind not allowed, naming them", async () => {
    const db = (await post({ kind: "pg-database", name: unique("dep"), spec: {} })).body.stack;
    const app = (await post({ kind: "test-app", name: unique("app"), spec: {}, dependsOn: [db.name] })).body
      .stack;
    const other = await createTeam(api.db, "create-other");
    const theirs = (await post({ kind: "pg-database", name: unique("dep"), spec: {} }, other.tokens.operator))
      .body.stack;

    const res = await post({
      kind: "test-app",
      name: unique("app"),
      spec: {},
      dependsOn: ["ghost", theirs.id, app.name],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("invalid_dependency");
    expect(res.body.issues).toEqual([
      { path: "dependsOn[0]", message: 'no stack "ghost" in this team' },
      { path: "dependsOn[1]", message: `no stack "${theirs.id}" in this team` },
      { path: "dependsOn[2]", message: `"${app.name}" is a test-app; a test-app may depend on: pg-database` },
    ]);
    const none = await post({ kind: "pg-database", name: unique("x"), spec: {}, dependsOn: [db.name] });
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/a pg-database may not depend on other stacks/);
  });
});
