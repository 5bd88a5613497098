// Gantry end to end: the real API and worker processes, real Postgres and Redis, the real pulumi
// engine. A pg-database stack is created, used, changed and deleted through the REST API only.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin } from "./pg-server.ts";

let gantry: Gantry;
let viewerToken: string;

const call = (method: string, path: string, body?: unknown, token?: string) =>
  gantry.call(method, path, body, token);

beforeAll(async () => {
  gantry = await startGantry();
  viewerToken = gantry.viewerToken;
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
});

describe("a pg-database stack through the REST API", () => {
  const name = `e2e-${randomBytes(3).toString("hex")}`;
  let stackId: string;
  let outputs: Record<string, string>;

  it("is created, provisioned by the engine and becomes ready", async () => {
    const created = await call("POST", "/v1/stacks", {
      kind: "pg-database",
      name,
      spec: { connectionLimit: 5 },
    });
    expect(created.status).toBe(202);
    expect(created.body.operation.status).toBe("queued");
    stackId = created.body.stack.id;
    await expectSucceeded(gantry, created.body.operation.id);

    const stack = await call("GET", `/v1/stacks/${stackId}`);
    expect(stack.body.status).toBe("ready");
    expect(stack.body.outputs.password).toBe("[secret]");
    expect(JSON.stringify(stack.body)).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"@]+@/);
  });

  it("hands out working credentials, secrets only when revealed", async () => {
    const hidden = await call("GET", `/v1/stacks/${stackId}/outputs`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.outputs.password).toBe("[secret]");

    const revealed = await call("GET", `/v1/stacks/${stackId}/outputs?reveal=true`);
    expect(revealed.status).toBe(200);
    outputs = revealed.body.outputs;
    expect(outputs.password).not.toBe("[secret]");

    const client = new pg.Client({
      host: outputs.host,
      port: Number(outputs.port),
      database: outputs.database,
      user: outputs.username,
      password: outputs.password,
    });
    await client.connect();
    const { rows } = await client.query("SELECT current_user AS user, current_database() AS db");
    await client.end();
    expect(rows[0]).toEqual({ user: outputs.username, db: outputs.database });

    expect(
      (await call("GET", `/v1/stacks/${stackId}/outputs?reveal=true`, undefined, viewerToken)).status,
    ).toBe(403);
  });

  it("applies a spec change in place", async () => {
    const patched = await call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 7 } });
    expect(patched.status).toBe(202);
    await expectSucceeded(gantry, patched.body.operation.id);
    const [db] = await admin<{ datconnlimit: number }>(
      "SELECT datconnlimit FROM pg_database WHERE datname = $1",
      [outputs.database],
    );
    expect(db?.datconnlimit).toBe(7);
    const op = await call("GET", `/v1/operations/${patched.body.operation.id}`);
    expect(op.body.summary.update).toBeGreaterThan(0);
    expect(op.body.summary.create).toBe(0);
  });

  it("drops the database and the role on delete", async () => {
    const deleted = await call("DELETE", `/v1/stacks/${stackId}`);
    expect(deleted.status).toBe(202);
    await expectSucceeded(gantry, deleted.body.operation.id);
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("destroyed");
    expect(await admin("SELECT 1 FROM pg_database WHERE datname = $1", [outputs.database])).toHaveLength(0);
    expect(await admin("SELECT 1 FROM pg_roles WHERE rolname = $1", [outputs.username])).toHaveLength(0);
  });
});

describe("bad requests", () => {
  it.each([
    ["an unknown kind", { kind: "mainframe", name: "x1", spec: {} }, [400, 422], /kind/],
    ["an invalid name", { kind: "pg-database", name: "Not_A_Label", spec: {} }, [400], /name/],
    [
      "an invalid spec",
      { kind: "pg-database", name: "x2", spec: { connectionLimit: 100000 } },
      [400, 422],
      /connectionLimit/,
    ],
    [
      "an unknown spec field",
      { kind: "pg-database", name: "x3", spec: { colour: "blue" } },
      [400, 422],
      /colour/,
    ],
  ])("refuses %s with a clear error", async (_label, body, statuses, mentions) => {
    const response = await call("POST", "/v1/stacks", body);
    expect(statuses).toContain(response.status);
    expect(response.body.error).toEqual(expect.any(String));
    expect(response.body.message).toMatch(mentions);
  });

  it("answers 404 for an unknown id and 401 without a token", async () => {
    expect((await call("GET", "/v1/stacks/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call("GET", "/v1/operations/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call("GET", "/v1/stacks", undefined, "gnt_nope")).status).toBe(401);
  });
});
