// Whose turn it is on a stack, in Postgres itself (real database): first in, first run, one at a time.
import { describe, expect, it } from "vitest";
import { claimOperation, isFirstInLine, nextInLine } from "../src/operations/claim.ts";
import { useTeamDatabase } from "./support.ts";

const ctx = useTeamDatabase("claims", 4);

async function stackWith(count: number): Promise<{ stackId: string; ops: string[] }> {
  const name = `s-${Math.random().toString(16).slice(2, 10)}`;
  const stack = await ctx.db.stack.create({
    data: { teamId: ctx.teamId, kind: "pg-database", name, spec: {} },
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

describe("claiming operations", () => {
  it("lets only the oldest queued operation of a stack start, and only when nothing runs there", async () => {
    const { stackId, ops } = await stackWith(3);
    const [first, second, third] = ops as [string, string, string];
    expect(await isFirstInLine(ctx.db, second)).toBe(false);
    expect(await claimOperation(ctx.db, second, "w1", 10_000)).toBe(false);
    expect(await claimOperation(ctx.db, first, "w1", 10_000)).toBe(true);
    expect(await claimOperation(ctx.db, first, "w2", 10_000)).toBe(false); // a second delivery
    // The first runs: the second is next in line but may not start yet.
    expect(await nextInLine(ctx.db, stackId)).toBe(second);
    expect(await claimOperation(ctx.db, second, "w2", 10_000)).toBe(false);

    await ctx.db.operation.update({ where: { id: first }, data: { status: "succeeded" } });
    expect(await isFirstInLine(ctx.db, second)).toBe(true);
    expect(await claimOperation(ctx.db, second, "w2", 10_000)).toBe(true);
    const claimed = await ctx.db.operation.findUniqueOrThrow({ where: { id: second } });
    expect(claimed).toMatchObject({ status: "running", workerId: "w2", attempts: 1 });
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
    const wins = await Promise.all(ops.map((id, i) => claimOperation(ctx.db, id, `w${i}`, 10_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(wins[0]).toBe(true);
  });
});
