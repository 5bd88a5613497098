// POST /v1/stacks/:id/protect and /unprotect (README, Approvals): admins mark a stack protected,
// which decides the approval rules frozen into its next operations: `protectedOnly` rules, and the
// built-in rule that holds a protected stack's destroy back. The worker's side (previews, waiting,
// approving) is tests/e2e/approvals; here, what the API accepts and freezes.
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTECTED_DESTROY_RULE } from "@gantry/core";
import { describe, expect, it } from "vitest";
import { loadPolicyFile } from "../src/policy/policy-schema.ts";
import { call, unique, useApi } from "./support.ts";

const { api, team } = useApi("protect", {
  policy: {
    approvals: [
      { name: "protected-change", protectedOnly: true, operations: ["up"], changes: ["update"] },
      { name: "any-up", kinds: ["network"], operations: ["up"] },
    ],
  },
});

async function createStack(): Promise<string> {
  const res = await call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.operator,
    body: { kind: "pg-database", name: unique("prot"), spec: {} },
  });
  expect(res.status).toBe(202);
  return res.body.stack.id;
}
const mark = (id: string, verb: "protect" | "unprotect", token = team.tokens.admin) =>
  call(api.app, "POST", `/v1/stacks/${id}/${verb}`, { token });
/** The rules frozen into an operation (stored with it; the API shows only the one that applied). */
async function rulesOf(operationId: string): Promise<string[] | null> {
  const row = await api.db.operation.findUniqueOrThrow({
    where: { id: operationId },
    select: { approval: true },
  });
  const approval = row.approval as { rules: { name: string }[] } | null;
  return approval ? approval.rules.map((rule) => rule.name) : null;
}

describe("protected stacks", () => {
  it("are marked and cleared by admins only, audited, and shown in every stack answer", async () => {
    const id = await createStack();
    for (const role of ["viewer", "operator"] as const) {
      const refused = await mark(id, "protect", team.tokens[role]);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/needs the admin role/);
    }
    const marked = await mark(id, "protect");
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ id, protected: true });
    // Idempotent: marking again answers the same.
    expect((await mark(id, "protect")).body.protected).toBe(true);
    const read = await call(api.app, "GET", `/v1/stacks/${id}`, { token: team.tokens.viewer });
    expect(read.body.protected).toBe(true);

    const audit = await call(api.app, "GET", "/v1/audit?limit=50", { token: team.tokens.admin });
    const actions = audit.body.entries
      .filter((e: { targetId: string }) => e.targetId === id)
      .map((e: { action: string; statusCode: number }) => `${e.action} ${e.statusCode}`);
    expect(actions).toEqual(expect.arrayContaining(["stack.protect 200", "stack.protect 403"]));

    const cleared = await mark(id, "unprotect");
    expect(cleared.status).toBe(200);
    expect(cleared.body.protected).toBe(false);
    expect((await mark("00000000-0000-4000-8000-000000000000", "protect")).status).toBe(404);
  });

  it("filters the list on the mark", async () => {
    const guarded = await createStack();
    const plain = await createStack();
    await mark(guarded, "protect");
    const list = async (query: string) =>
      (
        await call(api.app, "GET", `/v1/stacks?limit=100${query}`, { token: team.tokens.viewer })
      ).body.stacks.map((s: { id: string; protected: boolean }) => [s.id, s.protected]);
    const only = await list("&protected=true");
    expect(only).toContainEqual([guarded, true]);
    expect(only.every(([, isProtected]: [string, boolean]) => isProtected)).toBe(true);
    const others = await list("&protected=false");
    expect(others).toContainEqual([plain, false]);
    expect(others.map(([id]: [string]) => id)).not.toContain(guarded);
    expect((await list("")).length).toBeGreaterThanOrEqual(only.length + others.length);
  });

  it("freezes protectedOnly rules into a protected stack's ups only, and the built-in rule into its destroy", async () => {
    const id = await createStack();
    const up = async () =>
      (
        await call(api.app, "PATCH", `/v1/stacks/${id}`, {
          token: team.tokens.operator,
          body: { spec: { connectionLimit: Math.floor(Math.random() * 100) + 1 } },
        })
      ).body.operation;
    // Unprotected: nothing may hold its up back (the other rule is about another kind).
    const plainUp = await up();
    expect(plainUp.approval).toBeNull();
    expect(await rulesOf(plainUp.id)).toBeNull();
    await mark(id, "protect");
    const guardedUp = await up();
    expect(guardedUp.approval.state).toBe("pending");
    expect(await rulesOf(guardedUp.id)).toEqual(["protected-change"]);

    const destroyed = await call(api.app, "DELETE", `/v1/stacks/${id}`, { token: team.tokens.admin });
    expect(destroyed.status).toBe(202);
    expect(destroyed.body.operation.approval.state).toBe("pending");
    expect(await rulesOf(destroyed.body.operation.id)).toEqual([PROTECTED_DESTROY_RULE]);

    // Another stack's destroy: no rule covers it.
    const other = await createStack();
    const plainDestroy = await call(api.app, "DELETE", `/v1/stacks/${other}`, { token: team.tokens.admin });
    expect(plainDestroy.body.operation.approval).toBeNull();
    expect(await rulesOf(plainDestroy.body.operation.id)).toBeNull();
  });

  it("refuses to mark a destroyed stack", async () => {
    const id = await createStack();
    await api.db.stack.update({ where: { id }, data: { status: "destroyed" } });
    const res = await mark(id, "protect");
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("stack_destroyed");
  });

  it("reserves the built-in rule's name in the policy", async () => {
    const file = join(tmpdir(), `${unique("policy")}.json`);
    await writeFile(file, JSON.stringify({ approvals: [{ name: PROTECTED_DESTROY_RULE }] }));
    try {
      await expect(loadPolicyFile(file)).rejects.toThrow(/built-in rule for protected stacks/);
    } finally {
      await rm(file, { force: true });
    }
  });
});
