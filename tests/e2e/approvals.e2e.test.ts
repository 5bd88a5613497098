// Approvals of exact plans, end to end (README, Approvals): the real API and worker, the real
// engine on pg-database. A change a rule holds back previews, stores the engine's update plan and
// waits; another admin approves it and exactly that plan is applied; a plan that went stale is
// refused; the requester cannot approve their own change; a rejection and a destroy round trip.
// Protected stacks, on a Gantry of their own (its policy holds back any change to a protected
// stack, nothing else): the same change waits on a protected stack and not on another, and a
// protected stack's destroy waits with no rule about destroys at all.

import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin } from "./pg-server.ts";
import { createToken } from "./processes.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

const DATABASE_TYPE = "pulumi-nodejs:dynamic/postgres:Database";
const POLICY = {
  approvals: [
    {
      name: "stateful-change",
      kinds: ["pg-database"],
      operations: ["up"],
      changes: ["update", "replace", "delete"],
      resourceTypes: [DATABASE_TYPE],
    },
    { name: "every-destroy", operations: ["destroy"] },
  ],
};

/** Any change to a stack an admin marked protected (the example), and nothing else. */
const PROTECTED_POLICY = {
  approvals: [
    {
      name: "protected-change",
      protectedOnly: true,
      operations: ["up"],
      changes: ["create", "update", "replace", "delete"],
    },
  ],
};

let gantry: Gantry;
let secondAdmin: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gantry = await startGantry({
    GANTRY_POLICY_FILE: await policyFile(POLICY),
    GANTRY_WEBHOOK_URLS: receiver.url,
    GANTRY_WEBHOOK_SECRET: randomBytes(16).toString("hex"),
  });
  secondAdmin = await secondAdminOf(gantry);
}, 120_000);

async function policyFile(policy: unknown): Promise<string> {
  const file = join(tmpdir(), `gantry-approvals-${randomBytes(4).toString("hex")}.json`);
  await writeFile(file, JSON.stringify(policy));
  return file;
}

/** A second admin token of the Gantry's team: approvals need someone other than the requester. */
const secondAdminOf = (g: Gantry) =>
  createToken(g.env, { team: g.teamName, role: "admin", name: "second-admin" });

afterAll(async () => {
  await gantry?.stop();
  receiver?.close();
});

const call = (method: string, path: string, body?: unknown, token?: string) =>
  gantry.call(method, path, body, token);

/** Waits until the operation waits for an approval (or has ended, which fails the test). */
async function awaiting(operationId: string, on: Gantry = gantry) {
  const op = await waitUntil(
    async () => {
      const { body } = await on.call("GET", `/v1/operations/${operationId}`);
      return ["awaiting_approval", "succeeded", "failed", "cancelled", "interrupted"].includes(body.status)
        ? body
        : undefined;
    },
    { timeout: 120_000, what: `operation ${operationId} to await approval` },
  );
  expect(op.status, JSON.stringify(op.error)).toBe("awaiting_approval");
  return op;
}

async function databaseLimit(database: string): Promise<number | undefined> {
  const [row] = await admin<{ datconnlimit: number }>(
    "SELECT datconnlimit FROM pg_database WHERE datname = $1",
    [database],
  );
  return row?.datconnlimit;
}

async function storedPlan(operationId: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ plan: string | null }>(
      "SELECT plan FROM operations WHERE id = $1",
      [operationId],
    );
    return rows[0]?.plan ?? null;
  } finally {
    await client.end();
  }
}

describe("approvals of exact plans", () => {
  const name = `appr-${randomBytes(3).toString("hex")}`;
  let stackId: string;
  let database: string;
  let password: string;

  it("lets a change no rule covers through at once (a create)", async () => {
    const created = await call("POST", "/v1/stacks", {
      kind: "pg-database",
      name,
      spec: { connectionLimit: 5 },
    });
    expect(created.status).toBe(202);
    stackId = created.body.stack.id;
    expect(created.body.operation.approval.state).toBe("pending");
    const op = await gantry.finished(created.body.operation.id);
    expect(op.status, JSON.stringify(op.error)).toBe("succeeded");
    expect(op.approval.state).toBe("not_needed");
    const outputs = (await call("GET", `/v1/stacks/${stackId}/outputs?reveal=true`)).body.outputs;
    database = outputs.database;
    password = outputs.password;
    expect(await databaseLimit(database)).toBe(5);
  });

  it("holds a stateful change back with its plan, and applies exactly that plan once another admin approves", async () => {
    const patched = await call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 8 } });
    expect(patched.status).toBe(202);
    const opId = patched.body.operation.id;
    const waiting = await awaiting(opId);
    expect(waiting.approval).toMatchObject({ state: "awaiting", rule: "stateful-change" });
    expect(waiting.approval.reason).toMatch(/^update of pulumi-nodejs:dynamic\/postgres:Database/);
    expect(new Date(waiting.approval.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const change = waiting.diff.find((c: { type: string }) => c.type === DATABASE_TYPE);
    expect(change.op).toBe("update");
    expect(change.properties).toContainEqual(
      expect.objectContaining({ path: "connectionLimit", before: 5, after: 8 }),
    );
    // Nothing applied yet; the stack is as it was.
    expect(await databaseLimit(database)).toBe(5);
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("ready");
    // The plan is stored, never shown, and holds no secret in the clear.
    const plan = await storedPlan(opId);
    expect(plan).toBeTruthy();
    expect(JSON.parse(plan ?? "{}").resourcePlans).toBeTruthy();
    expect(plan).not.toContain(password);
    expect(JSON.stringify(waiting)).not.toContain("resourcePlans");
    await waitUntil(
      () => receiver.deliveries.find((d) => d.event === "approval.requested" && d.operation.id === opId),
      { timeout: 30_000, what: "the approval.requested webhook" },
    );

    // The requester cannot approve their own change; an operator cannot approve at all.
    const own = await call("POST", `/v1/operations/${opId}/approve`, { comment: "mine" });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/requested this change/);
    const operator = await call(
      "POST",
      `/v1/operations/${opId}/approve`,
      { comment: "ok" },
      gantry.operatorToken,
    );
    expect(operator.status).toBe(403);
    expect((await call("POST", `/v1/operations/${opId}/approve`, {}, secondAdmin)).status).toBe(400);

    const approved = await call(
      "POST",
      `/v1/operations/${opId}/approve`,
      { comment: "reviewed" },
      secondAdmin,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe("queued");
    expect(approved.body.approval).toMatchObject({ state: "approved", comment: "reviewed" });
    expect(approved.body.approval.decidedBy).toMatch(/second-admin/);
    const done = await gantry.finished(opId);
    expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
    // What ran is what was previewed: the same changes, and the engine held to the stored plan.
    expect(done.summary).toEqual(waiting.summary);
    expect(await databaseLimit(database)).toBe(8);
    const again = await call("POST", `/v1/operations/${opId}/approve`, { comment: "twice" }, secondAdmin);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("not_awaiting_approval");
  });

  it("refuses a plan that went stale: the stack changed after its preview", async () => {
    const first = (await call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 11 } })).body
      .operation.id;
    await awaiting(first);
    const second = (await call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 12 } })).body
      .operation.id;
    await awaiting(second);
    expect(
      (await call("POST", `/v1/operations/${second}/approve`, { comment: "newest" }, secondAdmin)).status,
    ).toBe(200);
    expect((await gantry.finished(second)).status).toBe("succeeded");
    expect(await databaseLimit(database)).toBe(12);

    expect(
      (await call("POST", `/v1/operations/${first}/approve`, { comment: "late" }, secondAdmin)).status,
    ).toBe(200);
    const stale = await gantry.finished(first);
    expect(stale.status).toBe("failed");
    expect(stale.error.message).toMatch(/approved plan is stale.*changed the stack after the preview/);
    expect(await databaseLimit(database)).toBe(12);
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("ready");
  });

  it("ends a rejected change without applying it", async () => {
    const opId = (await call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 20 } })).body
      .operation.id;
    await awaiting(opId);
    const rejected = await call(
      "POST",
      `/v1/operations/${opId}/reject`,
      { comment: "too many" },
      secondAdmin,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe("cancelled");
    expect(rejected.body.error.message).toMatch(/rejected by .*second-admin.*: too many/);
    expect(await databaseLimit(database)).toBe(12);
    await waitUntil(
      () => receiver.deliveries.find((d) => d.event === "approval.decided" && d.operation.id === opId),
      {
        timeout: 30_000,
        what: "the approval.decided webhook",
      },
    );
  });

  it("holds a destroy back until it is approved", async () => {
    const deleted = await call("DELETE", `/v1/stacks/${stackId}`);
    expect(deleted.status).toBe(202);
    const waiting = await awaiting(deleted.body.operation.id);
    expect(waiting.approval.rule).toBe("every-destroy");
    expect(waiting.diff.map((c: { op: string }) => c.op)).toEqual(expect.arrayContaining(["delete"]));
    expect(await databaseLimit(database)).toBe(12);
    const opId = deleted.body.operation.id;
    expect(
      (await call("POST", `/v1/operations/${opId}/approve`, { comment: "cleanup" }, secondAdmin)).status,
    ).toBe(200);
    expect((await gantry.finished(opId)).status).toBe("succeeded");
    expect(await databaseLimit(database)).toBeUndefined();
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("destroyed");
  });
});

describe("protected stacks", () => {
  let protectedGantry: Gantry;
  let approver: string;
  const suffix = randomBytes(3).toString("hex");
  const stacks: Record<"guarded" | "plain", { id: string; database: string }> = {
    guarded: { id: "", database: "" },
    plain: { id: "", database: "" },
  };

  beforeAll(async () => {
    protectedGantry = await startGantry({ GANTRY_POLICY_FILE: await policyFile(PROTECTED_POLICY) });
    approver = await secondAdminOf(protectedGantry);
  }, 120_000);

  afterAll(async () => {
    await protectedGantry?.stop();
  });

  const on = (method: string, path: string, body?: unknown, token?: string) =>
    protectedGantry.call(method, path, body, token);

  it("is marked by an admin only, and shown and filtered in the stack list", async () => {
    for (const which of ["guarded", "plain"] as const) {
      const created = await on("POST", "/v1/stacks", {
        kind: "pg-database",
        name: `prot-${which}-${suffix}`,
        spec: { connectionLimit: 5 },
      });
      expect(created.status).toBe(202);
      expect(created.body.stack.protected).toBe(false);
      const op = await protectedGantry.finished(created.body.operation.id);
      expect(op.status, JSON.stringify(op.error)).toBe("succeeded");
      const stack = (await on("GET", `/v1/stacks/${created.body.stack.id}`)).body;
      stacks[which] = { id: stack.id, database: stack.outputs.database };
    }
    const guarded = stacks.guarded.id;
    const operator = await on(
      "POST",
      `/v1/stacks/${guarded}/protect`,
      undefined,
      protectedGantry.operatorToken,
    );
    expect(operator.status).toBe(403);
    const marked = await on("POST", `/v1/stacks/${guarded}/protect`);
    expect(marked.status).toBe(200);
    expect(marked.body.protected).toBe(true);
    const listed = (await on("GET", "/v1/stacks?protected=true")).body.stacks.map(
      (s: { id: string }) => s.id,
    );
    expect(listed).toEqual([guarded]);
    const others = (await on("GET", "/v1/stacks?protected=false")).body.stacks.map(
      (s: { id: string }) => s.id,
    );
    expect(others).toEqual([stacks.plain.id]);
    const audit = (await on("GET", "/v1/audit?limit=50")).body.entries;
    expect(audit).toContainEqual(expect.objectContaining({ action: "stack.protect", targetId: guarded }));
  });

  it("holds a change to a protected stack back, and lets the same change to another through", async () => {
    const plain = await on("PATCH", `/v1/stacks/${stacks.plain.id}`, { spec: { connectionLimit: 9 } });
    const guarded = await on("PATCH", `/v1/stacks/${stacks.guarded.id}`, { spec: { connectionLimit: 9 } });
    expect(guarded.body.stack.protected).toBe(true);

    const plainOp = await protectedGantry.finished(plain.body.operation.id);
    expect(plainOp.status, JSON.stringify(plainOp.error)).toBe("succeeded");
    // No rule could apply to it: nothing was frozen into it, nothing previewed for an approval.
    expect(plainOp.approval).toBeNull();
    expect(await databaseLimit(stacks.plain.database)).toBe(9);

    const waiting = await awaiting(guarded.body.operation.id, protectedGantry);
    expect(waiting.approval).toMatchObject({ state: "awaiting", rule: "protected-change" });
    expect(waiting.approval.reason).toMatch(/^update of /);
    expect(await databaseLimit(stacks.guarded.database)).toBe(5);
    const approved = await on(
      "POST",
      `/v1/operations/${guarded.body.operation.id}/approve`,
      { comment: "protected, checked" },
      approver,
    );
    expect(approved.status).toBe(200);
    expect((await protectedGantry.finished(guarded.body.operation.id)).status).toBe("succeeded");
    expect(await databaseLimit(stacks.guarded.database)).toBe(9);
  });

  it("holds a protected stack's destroy back with no rule about destroys; another stack's goes at once", async () => {
    const plain = await on("DELETE", `/v1/stacks/${stacks.plain.id}`);
    expect(plain.status).toBe(202);
    const plainOp = await protectedGantry.finished(plain.body.operation.id);
    expect(plainOp.status, JSON.stringify(plainOp.error)).toBe("succeeded");
    expect(await databaseLimit(stacks.plain.database)).toBeUndefined();

    const deleted = await on("DELETE", `/v1/stacks/${stacks.guarded.id}`);
    expect(deleted.status).toBe(202);
    const opId = deleted.body.operation.id;
    const waiting = await awaiting(opId, protectedGantry);
    expect(waiting.approval).toMatchObject({
      rule: "protected-stack",
      reason: "the stack is protected: its destroy always needs an approval",
    });
    // The rules were frozen when the destroy was accepted: unprotecting now does not release it.
    const cleared = await on("POST", `/v1/stacks/${stacks.guarded.id}/unprotect`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.protected).toBe(false);
    expect((await on("GET", `/v1/operations/${opId}`)).body.status).toBe("awaiting_approval");
    expect(await databaseLimit(stacks.guarded.database)).toBe(9);
    expect(
      (await on("POST", `/v1/operations/${opId}/approve`, { comment: "retired" }, approver)).status,
    ).toBe(200);
    expect((await protectedGantry.finished(opId)).status).toBe("succeeded");
    expect(await databaseLimit(stacks.guarded.database)).toBeUndefined();
    const gone = await on("POST", `/v1/stacks/${stacks.guarded.id}/protect`);
    expect(gone.status).toBe(409);
  });
});
