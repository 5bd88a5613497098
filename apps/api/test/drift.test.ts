// The drift routes over the real database: requests for checks and remediations (roles, states),
// settings, a stack's reports with paginated history, and the fleet summary (reports written as
// the worker writes them; the engine side is in tests/e2e/drift.e2e.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("drift");
let stackId: string;

const drifted = [
  {
    urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/postgres:Role::owner",
    type: "pulumi-nodejs:dynamic/postgres:Role",
    change: "changed",
    properties: [{ name: "connectionLimit", expected: 5, actual: 3 }],
  },
];

async function report(status: string, checkedAt: Date, resources: unknown[] = []) {
  const operation = await api.db.operation.create({
    data: {
      teamId: team.id,
      stackId,
      kind: "drift-check",
      spec: {},
      requestedBy: "schedule",
      status: "succeeded",
    },
  });
  await api.db.driftReport.create({
    data: {
      teamId: team.id,
      stackId,
      operationId: operation.id,
      status,
      resources: resources as never,
      checkedAt,
    },
  });
  await api.db.stack.update({
    where: { id: stackId },
    data: { driftStatus: status, driftCheckedAt: checkedAt },
  });
}

beforeAll(async () => {
  const created = await call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.operator,
    body: { kind: "pg-database", name: unique("db"), spec: {} },
  });
  stackId = created.body.stack.id;
});

describe("drift requests", () => {
  it("queues a drift check for operators and a remediation for admins only", async () => {
    const check = await call(api.app, "POST", `/v1/stacks/${stackId}/operations`, {
      token: team.tokens.operator,
      body: { kind: "drift-check" },
    });
    expect(check.status).toBe(202);
    expect(check.body.operation).toMatchObject({ kind: "drift-check", status: "queued", stackId });
    expect(await api.db.outboxEntry.count({ where: { operationId: check.body.operation.id } })).toBe(1);

    const asOperator = await call(api.app, "POST", `/v1/stacks/${stackId}/operations`, {
      token: team.tokens.operator,
      body: { kind: "remediate" },
    });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.message).toMatch(/admin/);
    const asAdmin = await call(api.app, "POST", `/v1/stacks/${stackId}/operations`, {
      token: team.tokens.admin,
      body: { kind: "remediate" },
    });
    expect(asAdmin.status).toBe(202);
    const asViewer = await call(api.app, "POST", `/v1/stacks/${stackId}/operations`, {
      token: team.tokens.viewer,
      body: { kind: "drift-check" },
    });
    expect(asViewer.status).toBe(403);
  });

  it("hides other teams' stacks and refuses destroyed ones", async () => {
    const other = await createTeam(api.db, "drift-other");
    for (const [method, path, body] of [
      ["POST", `/v1/stacks/${stackId}/operations`, { kind: "drift-check" }],
      ["GET", `/v1/stacks/${stackId}/drift`, undefined],
      ["PUT", `/v1/stacks/${stackId}/drift-settings`, { autoRemediate: true }],
    ] as const) {
      const res = await call(api.app, method, path, { token: other.tokens.admin, body });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: "not_found", requestId: expect.any(String) });
    }
    const gone = await api.db.stack.create({
      data: { teamId: team.id, kind: "pg-database", name: unique("gone"), spec: {}, status: "destroyed" },
    });
    const res = await call(api.app, "POST", `/v1/stacks/${gone.id}/operations`, {
      token: team.tokens.operator,
      body: { kind: "drift-check" },
    });
    expect(res.status).toBe(409);
  });
});

describe("drift settings", () => {
  it("sets the interval and auto-remediation, and places the stack anew in the schedule", async () => {
    await api.db.stack.update({ where: { id: stackId }, data: { driftNextCheckAt: new Date() } });
    // Operators set the interval; turning auto-remediation on is an admin's decision.
    const asOperator = await call(api.app, "PUT", `/v1/stacks/${stackId}/drift-settings`, {
      token: team.tokens.operator,
      body: { intervalSeconds: 3600, autoRemediate: true },
    });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.message).toBe(
      "setting autoRemediate needs the admin role; the token has the operator role",
    );
    const res = await call(api.app, "PUT", `/v1/stacks/${stackId}/drift-settings`, {
      token: team.tokens.admin,
      body: { intervalSeconds: 3600, autoRemediate: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ intervalSeconds: 3600, autoRemediate: true });
    const stack = await api.db.stack.findUniqueOrThrow({ where: { id: stackId } });
    expect(stack.driftNextCheckAt).toBeNull();
  });

  it("refuses bad settings with the field named", async () => {
    for (const body of [{ intervalSeconds: -1 }, { intervalSeconds: "often" }, { colour: "red" }]) {
      const res = await call(api.app, "PUT", `/v1/stacks/${stackId}/drift-settings`, {
        token: team.tokens.operator,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "validation_failed", requestId: expect.any(String) });
    }
    const viewer = await call(api.app, "PUT", `/v1/stacks/${stackId}/drift-settings`, {
      token: team.tokens.viewer,
      body: { autoRemediate: false },
    });
    expect(viewer.status).toBe(403);
  });
});

describe("drift reports", () => {
  it("serves the latest report and the history, page by page", async () => {
    const t0 = Date.now() - 60_000;
    await report("in_sync", new Date(t0));
    await report("in_sync", new Date(t0 + 1000));
    await report("drifted", new Date(t0 + 2000), drifted);

    const first = await call(api.app, "GET", `/v1/stacks/${stackId}/drift?limit=2`, {
      token: team.tokens.viewer,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stackId, driftStatus: "drifted", remediationNeedsApproval: false });
    expect(first.body.latest).toMatchObject({ status: "drifted", resources: drifted });
    expect(first.body.history.map((r: { status: string }) => r.status)).toEqual(["drifted", "in_sync"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await call(
      api.app,
      "GET",
      `/v1/stacks/${stackId}/drift?limit=2&cursor=${first.body.nextCursor}`,
      {
        token: team.tokens.viewer,
      },
    );
    expect(second.body.history).toHaveLength(1);
    expect(second.body.latest.id).toBe(first.body.latest.id);
    expect(second.body.nextCursor).toBeNull();

    const bad = await call(api.app, "GET", `/v1/stacks/${stackId}/drift?cursor=nope`, {
      token: team.tokens.viewer,
    });
    expect(bad.status).toBe(400);
  });

  it("summarizes the fleet: counts per status and the drifted stacks with what drifted", async () => {
    const fleet = await call(api.app, "GET", "/v1/drift", { token: team.tokens.viewer });
    expect(fleet.status).toBe(200);
    expect(fleet.body.counts).toEqual({ unknown: 0, in_sync: 0, drifted: 1, error: 0 });
    expect(fleet.body.drifted).toEqual([
      {
        stack: { id: stackId, name: expect.any(String), kind: "pg-database" },
        driftCheckedAt: expect.any(String),
        remediationNeedsApproval: false,
        resources: drifted,
      },
    ]);
    const other = await createTeam(api.db, "drift-fleet-other");
    const theirs = await call(api.app, "GET", "/v1/drift", { token: other.tokens.viewer });
    expect(theirs.body).toEqual({ counts: { unknown: 0, in_sync: 0, drifted: 0, error: 0 }, drifted: [] });
  });
});
