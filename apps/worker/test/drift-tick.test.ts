// One tick of the drift schedule on real Postgres: placing new stacks, catching up after downtime,
// skipping stacks whose check is still pending, leaving alone what is off or not ready.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { enqueueDueDriftChecks } from "../src/drift/schedule.ts";

const ctx = useTeamDatabase("tick", 2);
const HOUR = 3600;
const settings = { defaultIntervalSeconds: HOUR };

async function stack(data: { status?: string; driftIntervalSeconds?: number; driftNextCheckAt?: Date }) {
  const name = `s-${randomBytes(3).toString("hex")}`;
  return ctx.db.stack.create({
    data: { teamId: ctx.teamId, kind: "pg-database", name, spec: {}, status: "ready", ...data },
  });
}
const checksOf = (stackId: string) => ctx.db.operation.count({ where: { stackId, kind: "drift-check" } });
const nextOf = async (id: string) =>
  (await ctx.db.stack.findUniqueOrThrow({ where: { id } })).driftNextCheckAt;

describe("a drift schedule tick", () => {
  it("places a new stack at a random point of its interval without checking it yet", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const s = await stack({});
    const result = await enqueueDueDriftChecks(ctx.db, settings, { now });
    expect(result.phased).toBeGreaterThanOrEqual(1);
    const next = await nextOf(s.id);
    expect(next?.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(next?.getTime()).toBeLessThan(now.getTime() + HOUR * 1000);
    expect(await checksOf(s.id)).toBe(0);
  });

  it("checks a stack that is due once, even after missing several intervals, keeping its phase", async () => {
    const due = new Date("2030-02-01T00:00:00Z");
    const s = await stack({ driftNextCheckAt: due });
    const now = new Date(due.getTime() + 3.5 * HOUR * 1000);
    await enqueueDueDriftChecks(ctx.db, settings, { now });
    expect(await checksOf(s.id)).toBe(1);
    expect(await nextOf(s.id)).toEqual(new Date(due.getTime() + 4 * HOUR * 1000));
    const op = await ctx.db.operation.findFirstOrThrow({ where: { stackId: s.id } });
    expect(op).toMatchObject({ kind: "drift-check", status: "queued", requestedBy: "schedule" });
    expect(await ctx.db.outboxEntry.count({ where: { operationId: op.id } })).toBe(1);

    // Not due again within the interval, and not queued twice while its check is pending.
    await enqueueDueDriftChecks(ctx.db, settings, { now: new Date(now.getTime() + 1000) });
    expect(await checksOf(s.id)).toBe(1);
    const result = await enqueueDueDriftChecks(ctx.db, settings, {
      now: new Date(due.getTime() + 4.1 * HOUR * 1000),
    });
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    expect(await checksOf(s.id)).toBe(1);
  });

  it("follows a stack's own interval, and leaves off, not-ready and default-off stacks alone", async () => {
    const due = new Date("2030-03-01T00:00:00Z");
    const own = await stack({ driftNextCheckAt: due, driftIntervalSeconds: 60 });
    const off = await stack({ driftNextCheckAt: due, driftIntervalSeconds: 0 });
    const updating = await stack({ driftNextCheckAt: due, status: "updating" });
    await enqueueDueDriftChecks(ctx.db, settings, { now: due });
    expect(await nextOf(own.id)).toEqual(new Date(due.getTime() + 60_000));
    expect(await checksOf(own.id)).toBe(1);
    expect(await checksOf(off.id)).toBe(0);
    expect(await checksOf(updating.id)).toBe(0);

    const defaultOff = await stack({ driftNextCheckAt: due });
    await enqueueDueDriftChecks(ctx.db, { defaultIntervalSeconds: 0 }, { now: due });
    expect(await checksOf(defaultOff.id)).toBe(0);
  });
});
