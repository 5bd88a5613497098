// GET /v1/stacks and GET /v1/stacks/:id: the team's stacks only, paginated, secrets redacted.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTeam, type TestTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("read");
let other: TestTeam;
const created: { id: string; name: string; kind: string }[] = [];

beforeAll(async () => {
  other = await createTeam(api.db, "read-other");
  for (let i = 0; i < 5; i++) {
    const kind = i === 4 ? "test-app" : "pg-database";
    const res = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind, name: unique(`s${i}`), spec: {} },
    });
    created.push(res.body.stack);
  }
  await call(api.app, "POST", "/v1/stacks", {
    token: other.tokens.operator,
    body: { kind: "pg-database", name: unique("theirs"), spec: {} },
  });
});

const get = (url: string, token = team.tokens.viewer) => call(api.app, "GET", url, { token });

describe("GET /v1/stacks", () => {
  it("pages through the team's stacks newest first, in a stable order", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/stacks?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.stacks.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.stacks.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created.map((s) => s.id).reverse());
  });

  it("filters by kind and status", async () => {
    const apps = await get("/v1/stacks?kind=test-app");
    expect(apps.body.stacks.map((s: { id: string }) => s.id)).toEqual([created[4]?.id]);
    const ready = await get("/v1/stacks?status=ready");
    expect(ready.body).toEqual({ stacks: [], nextCursor: null });
    const pending = await get("/v1/stacks?status=pending&kind=pg-database");
    expect(pending.body.stacks).toHaveLength(4);
  });

  it("refuses unknown filters, bad limits and forged cursors with 400", async () => {
    for (const query of [
      "colour=blue",
      "status=sleeping",
      "limit=0",
      "limit=101",
      "limit=two",
      "cursor=abc",
    ]) {
      const res = await get(`/v1/stacks?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.issues[0].path, query).toBe(query.split("=")[0]);
    }
  });
});

describe("GET /v1/stacks/:id", () => {
  it("shows status, spec, outputs with secrets redacted, drift and the last operation", async () => {
    const stack = created[0];
    if (!stack) throw new Error("setup failed");
    // What the worker writes after a successful up: non-secret values and the names of secret ones.
    await api.db.stack.update({
      where: { id: stack.id },
      data: {
        status: "ready",
        outputs: { host: "db.internal", port: 5432, database: "d1", username: "u1" },
        secretOutputs: ["password", "connectionString"],
      },
    });
    const res = await get(`/v1/stacks/${stack.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: stack.id,
      status: "ready",
      driftStatus: "unknown",
      spec: { connectionLimit: 20, extensions: [] },
      outputs: { host: "db.internal", port: 5432, password: "[secret]", connectionString: "[secret]" },
      lastOperation: { kind: "up", status: "queued" },
    });
    expect(res.body.secretOutputs.sort()).toEqual(["connectionString", "password"]);
    expect(res.body).not.toHaveProperty("teamId");
  });

  it("redacts a value stored under a name the kind declares secret", async () => {
    const stack = created[1];
    if (!stack) throw new Error("setup failed");
    await api.db.stack.update({
      where: { id: stack.id },
      data: { outputs: { host: "h", password: "hunter2" } },
    });
    const res = await get(`/v1/stacks/${stack.id}`);
    expect(res.body.outputs).toEqual({ host: "h", password: "[secret]" });
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
  });

  it("answers 404 alike for an unknown id, a malformed id and another team's stack", async () => {
    const theirs = created[0]?.id;
    for (const [id, token] of [
      ["00000000-0000-4000-8000-000000000000", team.tokens.viewer],
      ["not-an-id", team.tokens.viewer],
      [theirs, other.tokens.admin],
    ] as const) {
      const res = await get(`/v1/stacks/${id}`, token);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe("not_found");
      expect(res.body.message).toBe(`no stack with id "${id}"`);
    }
  });
});
