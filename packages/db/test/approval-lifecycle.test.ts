// The approval steps of the operation lifecycle on a real database: a run waits with its plan
// (fenced like every write of a run), an approval puts it back in its place in line, a rejection
// or an expiry ends it, and no other step is written.
import { randomBytes } from "node:crypto";
import type { ApprovalRecord } from "@gantry/core";
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import {
  approveWaiting,
  awaitApproval,
  claimOperation,
  closeWaiting,
  expireApprovals,
  isFirstInLine,
  lockWaiting,
  OPERATION_TRANSITIONS,
  type RunOwner,
} from "../src/index.ts";

const ctx = useTeamDatabase("approvals", 4);

const PENDING: ApprovalRecord = { state: "pending", rules: [{ name: "r", operations: ["up"] }] };

async function runningOp(): Promise<{ stackId: string; owner: RunOwner }> {
  const stack = await ctx.db.stack.create({
    data: {
      teamId: ctx.teamId,
      kind: "pg-database",
      name: `a-${randomBytes(4).toString("hex")}`,
      spec: {},
      status: "ready",
    },
  });
  const op = await ctx.db.operation.create({
    data: {
      teamId: ctx.teamId,
      stackId: stack.id,
      kind: "up",
      spec: {},
      requestedBy: "alice",
      approval: { ...PENDING },
    },
  });
  const owner = await claimOperation(ctx.db, { operationId: op.id, workerId: "w1", leaseMs: 10_000 });
  if (!owner) throw new Error("not claimed");
  return { stackId: stack.id, owner };
}

const waiting = (expiresAt: Date): Parameters<typeof awaitApproval>[2] => ({
  plan: '{"resourcePlans":{}}',
  diff: [],
  summary: { create: 0, update: 1, replace: 0, delete: 0, same: 1 },
  approval: { ...PENDING, state: "awaiting", rule: "r", expiresAt: expiresAt.toISOString() },
});
const row = (id: string) => ctx.db.operation.findUniqueOrThrow({ where: { id } });
const soon = () => new Date(Date.now() + 60_000);

describe("the approval steps", () => {
  it("are in the transition table, and nothing else leaves awaiting_approval", () => {
    expect(OPERATION_TRANSITIONS.running).toContain("awaiting_approval");
    expect(OPERATION_TRANSITIONS.awaiting_approval).toEqual(["queued", "cancelled"]);
  });

  it("store the plan and hand the stack back while the run waits; only its owner may", async () => {
    const { stackId, owner } = await runningOp();
    expect(
      await awaitApproval(ctx.db, { ...owner, fence: owner.fence + 1 }, waiting(soon()), { announce: false }),
    ).toBe(false);
    expect(await awaitApproval(ctx.db, owner, waiting(soon()), { announce: true })).toBe(true);
    const op = await row(owner.operationId);
    expect(op).toMatchObject({ status: "awaiting_approval", plan: '{"resourcePlans":{}}', workerId: null });
    expect((await ctx.db.stack.findUniqueOrThrow({ where: { id: stackId } })).status).toBe("ready");
    const hooks = await ctx.db.webhookOutboxEntry.findMany();
    expect(hooks.map((h) => h.notification)).toContainEqual({
      event: "approval.requested",
      operationId: owner.operationId,
    });
    // A waiting operation holds no place in line: the next one on the stack may run.
    const next = await ctx.db.operation.create({
      data: { teamId: ctx.teamId, stackId, kind: "preview", spec: {}, requestedBy: "bob" },
    });
    expect(await isFirstInLine(ctx.db, next.id)).toBe(true);
  });

  it("put an approved run back in line in its original place, with an outbox row to run it", async () => {
    const { owner } = await runningOp();
    await awaitApproval(ctx.db, owner, waiting(soon()), { announce: false });
    await ctx.db.$transaction(async (tx) => {
      const found = await lockWaiting(tx, owner.operationId, ctx.teamId);
      expect(found?.requestedBy).toBe("alice");
      await approveWaiting(tx, owner.operationId, { ...PENDING, state: "approved", decidedBy: "bob" });
    });
    const op = await row(owner.operationId);
    expect(op.status).toBe("queued");
    expect(op.approval).toMatchObject({ state: "approved", decidedBy: "bob" });
    expect(await ctx.db.outboxEntry.count({ where: { operationId: owner.operationId } })).toBe(1);
    // Not waiting any more: deciding it again is refused.
    await expect(
      ctx.db.$transaction((tx) => approveWaiting(tx, owner.operationId, { ...PENDING, state: "approved" })),
    ).rejects.toThrow(/not awaiting approval/);
    expect(await ctx.db.$transaction((tx) => lockWaiting(tx, owner.operationId, ctx.teamId))).toBeNull();
  });

  it("end a rejected run cancelled, with the reason", async () => {
    const { owner } = await runningOp();
    await awaitApproval(ctx.db, owner, waiting(soon()), { announce: false });
    await ctx.db.$transaction((tx) =>
      closeWaiting(tx, owner.operationId, { ...PENDING, state: "rejected" }, "no"),
    );
    expect(await row(owner.operationId)).toMatchObject({ status: "cancelled", error: { message: "no" } });
  });

  it("expire the approvals whose time ran out, and only those", async () => {
    const late = await runningOp();
    const fresh = await runningOp();
    await awaitApproval(ctx.db, late.owner, waiting(new Date(Date.now() - 1000)), { announce: false });
    await awaitApproval(ctx.db, fresh.owner, waiting(soon()), { announce: false });
    expect(await expireApprovals(ctx.db)).toEqual([late.owner.operationId]);
    const expired = await row(late.owner.operationId);
    expect(expired.status).toBe("cancelled");
    expect(expired.approval).toMatchObject({ state: "expired" });
    expect((expired.error as { message: string }).message).toMatch(/approval expired/);
    expect((await row(fresh.owner.operationId)).status).toBe("awaiting_approval");
  });
});
