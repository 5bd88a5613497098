// When a stack's destruction is under way (the rule the API and auto-remediation share), on a real
// database.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { destructionUnderWay } from "../src/index.ts";

const ctx = useTeamDatabase("destruction", 2);

async function stackWith(status: string, operations: { kind: string; status: string }[] = []) {
  const stack = await ctx.db.stack.create({
    data: {
      teamId: ctx.teamId,
      kind: "pg-database",
      name: `s-${randomBytes(4).toString("hex")}`,
      spec: {},
      status,
    },
  });
  for (const op of operations)
    await ctx.db.operation.create({
      data: { teamId: ctx.teamId, stackId: stack.id, spec: {}, requestedBy: "test", ...op },
    });
  return stack;
}

describe("destructionUnderWay", () => {
  it("is true for a destroying or destroyed stack, and while a destroy is queued or running", async () => {
    expect(await destructionUnderWay(ctx.db, await stackWith("destroying"))).toBe(true);
    expect(await destructionUnderWay(ctx.db, await stackWith("destroyed"))).toBe(true);
    const queued = await stackWith("ready", [{ kind: "destroy", status: "queued" }]);
    expect(await destructionUnderWay(ctx.db, queued)).toBe(true);
    const running = await stackWith("ready", [{ kind: "destroy", status: "running" }]);
    expect(await destructionUnderWay(ctx.db, running)).toBe(true);
  });

  it("is false for a stack whose destroys ended, or that never had one", async () => {
    expect(await destructionUnderWay(ctx.db, await stackWith("ready"))).toBe(false);
    const cancelled = await stackWith("ready", [
      { kind: "destroy", status: "cancelled" },
      { kind: "up", status: "queued" },
    ]);
    expect(await destructionUnderWay(ctx.db, cancelled)).toBe(false);
  });
});
