// The operation lifecycle on a real database: whose turn it is, the fence that shuts out a
// superseded owner, retry backoff as data, and recovery taking a run over.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import {
  cancelQueued,
  claimOperation,
  finishRun,
  isFirstInLine,
  nextInLine,
  OPERATION_TRANSITIONS,
  renewLease,
  requeueRun,
  takeOverRun,
} from "../src/index.ts";

const ctx = useTeamDatabase("lifecycle", 4);

async function stackWith(count: number, status = "ready"): Promise<{ stackId: string; ops: string[] }> {
  const stack = await ctx.db.stack.create({
    data: {
      teamId: ctx.teamId,
      kind: "pg-database",
      name: `s-${randomBytes(4).toString("hex")}`,
      spec: {},
      status,
    },
  });
  const ops: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const op = await ctx.db.operation.create({
      data: { teamId: ctx.teamId, stackId: stack.id, kind: "up", spec: {}, requestedBy: "test" },
    });
    ops.push(op.id);
  }
  return { stackId: stack.id, ops };
}

const claim = (operationId: string, workerId: string) =>
  claimOperation(ctx.db, { operationId, workerId, leaseMs: 10_000 });
/** The value, which the test expects to be there. */
function must<T>(value: T | null | undefined): T {
  if (value == null) throw new Error("expected a value");
  return value;
}
const statusOf = async (id: string) => (await ctx.db.operation.findUniqueOrThrow({ where: { id } })).status;
const stackStatus = async (id: string) => (await ctx.db.stack.findUniqueOrThrow({ where: { id } })).status;

describe("claiming operations", () => {
  it("lets only the oldest queued operation of a stack start, and only when nothing runs there", async () => {
    const { stackId, ops } = await stackWith(3);
    const [first, second, third] = ops as [string, string, string];
    expect(await isFirstInLine(ctx.db, second)).toBe(false);
    expect(await claim(second, "w1")).toBeNull();
    const owner = await claim(first, "w1");
    expect(owner).toMatchObject({ operationId: first, workerId: "w1", fence: 1, attempts: 1, kind: "up" });
    expect(await stackStatus(stackId)).toBe("updating");
    expect(await claim(first, "w2")).toBeNull(); // a second delivery
    expect(await nextInLine(ctx.db, stackId)).toBe(second);
    expect(await claim(second, "w2")).toBeNull();

    expect(
      await finishRun(ctx.db, must(owner), { status: "succeeded", error: null }, { announce: false }),
    ).toBe(true);
    expect(await stackStatus(stackId)).toBe("ready");
    expect(await isFirstInLine(ctx.db, second)).toBe(true);
    expect(await claim(second, "w2")).not.toBeNull();
    const claimed = await ctx.db.operation.findUniqueOrThrow({ where: { id: second } });
    expect(claimed).toMatchObject({ status: "running", workerId: "w2", attempts: 1, fence: 1 });
    expect(claimed.leaseUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(await nextInLine(ctx.db, stackId)).toBe(third);
  });

  it("is backed by the database: a second running operation on one stack is refused whoever writes it", async () => {
    const { ops } = await stackWith(2);
    await ctx.db.operation.update({ where: { id: ops[0] }, data: { status: "running" } });
    await expect(
      ctx.db.operation.update({ where: { id: ops[1] }, data: { status: "running" } }),
    ).rejects.toThrow(/Unique constraint/i);
  });

  it("lets many workers race for one stack's line: exactly one wins", async () => {
    const { ops } = await stackWith(6);
    const wins = await Promise.all(ops.map((id, i) => claim(id, `w${i}`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(wins[0]).not.toBeNull();
  });
});

describe("the fence", () => {
  it("shuts a superseded owner out of every write once recovery has taken the run over", async () => {
    const { stackId, ops } = await stackWith(1);
    const old = must(await claim(must(ops[0]), "w1"));
    // Not before the lease has run out, unless the owner itself asks.
    const early = { operationId: old.operationId, fence: old.fence, workerId: "w2", leaseMs: 10_000 };
    expect(await takeOverRun(ctx.db, { ...early, leaseMustHaveExpired: true })).toBeNull();
    await ctx.db.operation.update({
      where: { id: old.operationId },
      data: { leaseUntil: new Date(Date.now() - 1) },
    });
    const taken = await takeOverRun(ctx.db, { ...early, leaseMustHaveExpired: true });
    expect(taken).toEqual({ operationId: old.operationId, workerId: "w2", fence: old.fence + 1 });
    // A second recoverer that saw the old fence gets nothing.
    expect(await takeOverRun(ctx.db, { ...early, workerId: "w3", leaseMustHaveExpired: false })).toBeNull();

    expect(await renewLease(ctx.db, old, 10_000)).toEqual({ held: false, cancelRequested: false });
    expect(await finishRun(ctx.db, old, { status: "failed", error: null }, { announce: true })).toBe(false);
    expect(await requeueRun(ctx.db, old, { error: { message: "x", retryable: true }, delayMs: 0 })).toBe(
      false,
    );
    expect(await statusOf(old.operationId)).toBe("running");
    expect(await ctx.db.webhookOutboxEntry.count()).toBe(0);

    expect(await renewLease(ctx.db, must(taken), 10_000)).toEqual({ held: true, cancelRequested: false });
    expect(
      await finishRun(ctx.db, must(taken), { status: "succeeded", error: null }, { announce: true }),
    ).toBe(true);
    expect(await stackStatus(stackId)).toBe("ready");
    // The finished webhook is written with the outcome, in its transaction.
    const [webhook] = await ctx.db.webhookOutboxEntry.findMany();
    expect(webhook?.notification).toEqual({ event: "operation.finished", operationId: old.operationId });
    await ctx.db.webhookOutboxEntry.deleteMany();
  });

  it("writes only transitions of the table", () => {
    for (const done of ["succeeded", "failed", "cancelled", "interrupted"] as const) {
      expect(OPERATION_TRANSITIONS[done]).toEqual([]);
    }
    expect(OPERATION_TRANSITIONS.queued).not.toContain("succeeded");
  });
});

describe("retry backoff", () => {
  it("is a not-before time: the operation cannot be claimed, by anyone, until it has passed", async () => {
    const { stackId, ops } = await stackWith(1, "pending");
    const first = must(await claim(must(ops[0]), "w1"));
    expect(await stackStatus(stackId)).toBe("provisioning");
    const error = { message: "throttled", retryable: true };
    expect(await requeueRun(ctx.db, first, { error, delayMs: 60_000 })).toBe(true);
    const queued = await ctx.db.operation.findUniqueOrThrow({ where: { id: ops[0] } });
    expect(queued).toMatchObject({ status: "queued", workerId: null, error, attempts: 1 });
    expect(must(queued.notBefore).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // The stack shows what it was before the operation first started.
    expect(await stackStatus(stackId)).toBe("pending");
    expect(await claim(must(ops[0]), "w2")).toBeNull();

    await ctx.db.operation.update({ where: { id: ops[0] }, data: { notBefore: new Date(Date.now() - 1) } });
    const second = await claim(must(ops[0]), "w2");
    expect(second).toMatchObject({ attempts: 2, fence: first.fence + 1 });
    expect(await stackStatus(stackId)).toBe("provisioning");
    await finishRun(ctx.db, must(second), { status: "succeeded", error: null }, { announce: false });
    expect(await stackStatus(stackId)).toBe("ready");
    // The error of the attempt that failed is not the outcome's.
    expect(await ctx.db.operation.findUniqueOrThrow({ where: { id: ops[0] } })).toMatchObject({
      status: "succeeded",
      error: null,
    });
  });
});

describe("cancelling queued operations", () => {
  it("cancels only those still queued, and returns them", async () => {
    const { ops } = await stackWith(3);
    const [first, second, third] = ops as [string, string, string];
    must(await claim(first, "w1"));
    const cancelled = await ctx.db.$transaction((tx) =>
      cancelQueued(tx, [first, second, third], "superseded"),
    );
    expect(cancelled.sort()).toEqual([second, third].sort());
    expect(await statusOf(first)).toBe("running");
    expect(await ctx.db.operation.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      status: "cancelled",
      error: { message: "superseded", retryable: false },
    });
  });
});

describe("released dependencies", () => {
  it("go with the successful up that no longer used them, and stay after a failed one", async () => {
    const [kept, released, takenBack] = [await stackWith(0), await stackWith(0), await stackWith(0)];
    const { stackId, ops } = await stackWith(2);
    const [first, second] = ops as [string, string];
    const releasedAt = new Date();
    await ctx.db.stackDependency.createMany({
      data: [
        { stackId, dependsOnId: kept.stackId },
        { stackId, dependsOnId: released.stackId, releasedAt },
        { stackId, dependsOnId: takenBack.stackId },
      ],
    });
    const leftOf = async () =>
      (await ctx.db.stackDependency.findMany({ where: { stackId }, orderBy: { dependsOnId: "asc" } })).map(
        (row) => row.dependsOnId,
      );
    // The worker names the released ones it did not use; one a change took back is not released.
    const end = {
      error: null,
      releasedDependencies: [released.stackId, takenBack.stackId, kept.stackId],
    };
    const all = [kept.stackId, released.stackId, takenBack.stackId].sort();
    await finishRun(
      ctx.db,
      must(await claim(first, "w1")),
      { ...end, status: "failed" },
      { announce: false },
    );
    expect(await leftOf()).toEqual(all);
    await finishRun(
      ctx.db,
      must(await claim(second, "w1")),
      { ...end, status: "succeeded" },
      { announce: false },
    );
    expect(await leftOf()).toEqual(all.filter((id) => id !== released.stackId));
  });
});
