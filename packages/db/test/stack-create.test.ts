// The one-statement create of several stacks (createStacksWithUp), on a real database: each input's
// values arrive intact through the statement's arrays (specs and approvals with quotes,
// backslashes and non-ASCII text, nulls), the results come back in the inputs' order with their
// queued `up`s and outbox rows, through the pool and through Prisma alike; a taken name writes
// nothing at all.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { createStacksWithUp, type NewStack, StackNameTaken } from "../src/index.ts";

const ctx = useTeamDatabase("stack-create", 2);

function newStack(overrides: Partial<NewStack> = {}): NewStack {
  return {
    teamId: ctx.teamId,
    kind: "pg-database",
    name: `s-${randomBytes(4).toString("hex")}`,
    spec: {},
    requestedBy: "test",
    managedBy: null,
    blueprintVersion: 1,
    expiresAt: null,
    ...overrides,
  };
}

describe("createStacksWithUp", () => {
  it("creates each stack with its queued up and outbox row, values intact, in the inputs' order", async () => {
    const other = await ctx.db.team.create({ data: { name: `other-${randomBytes(4).toString("hex")}` } });
    const tricky = { note: 'a "quoted" \\ back\\slash, {braces}, commas, ünïcödé', list: [1, null, "x"] };
    const approval = { state: "pending", rules: [{ name: 'prod "eu"', reason: "a\\b" }] };
    const expiresAt = new Date("2027-03-04T05:06:07.089Z");
    const inputs = [
      newStack({ spec: tricky, approval, expiresAt, managedBy: "default/app", blueprintVersion: 3 }),
      newStack({ teamId: other.id, requestedBy: 'gnt_x ("ci")' }),
      newStack(),
    ];

    for (const runner of [ctx.db.pool, ctx.db]) {
      const batch = inputs.map((input) => ({
        ...input,
        name: `${input.name}-${runner === ctx.db ? "p" : "q"}`,
      }));
      const created = await createStacksWithUp(runner, batch);

      expect(created.map((c) => [c.stack.teamId, c.stack.name])).toEqual(
        batch.map((i) => [i.teamId, i.name]),
      );
      const [first, second] = created;
      expect(first?.stack).toMatchObject({
        spec: tricky,
        status: "pending",
        managedBy: "default/app",
        blueprintVersion: 3,
        expiresAt,
      });
      expect(first?.operation).toMatchObject({
        stackId: first?.stack.id,
        kind: "up",
        status: "queued",
        spec: tricky,
        approval,
        blueprintVersion: 3,
      });
      expect(second?.operation).toMatchObject({
        teamId: other.id,
        requestedBy: 'gnt_x ("ci")',
        approval: null,
      });
      for (const { stack, operation } of created) {
        expect(await ctx.db.stack.findUniqueOrThrow({ where: { id: stack.id } })).toEqual(stack);
        expect(await ctx.db.outboxEntry.count({ where: { operationId: operation.id } })).toBe(1);
      }
    }
  });

  it("writes nothing when one name is taken, or named twice", async () => {
    const taken = newStack();
    await createStacksWithUp(ctx.db.pool, [taken]);
    const fresh = newStack();
    await expect(createStacksWithUp(ctx.db.pool, [fresh, { ...taken }])).rejects.toBeInstanceOf(
      StackNameTaken,
    );
    const twice = newStack();
    await expect(createStacksWithUp(ctx.db.pool, [twice, { ...twice }])).rejects.toBeInstanceOf(
      StackNameTaken,
    );
    expect(await ctx.db.stack.count({ where: { name: { in: [fresh.name, twice.name] } } })).toBe(0);
  });
});
