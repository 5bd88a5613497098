// The API's hot stack reads (stack-reads.ts: one raw statement, each row one json value, on the
// pool or in a transaction) load exactly what Prisma's include loads, field by field: every date a
// Date again, json values, arrays, nulls, dependencies (released ones left out) and the newest
// operation; and the default list page and the read by ids keep one plan.
import { createDb, type Prisma } from "@gantry/db";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { readStack, readStacks, readStacksById } from "../src/stacks/stack-reads.ts";
import { STACK_INCLUDE } from "../src/stacks/stack-view.ts";
import { unique, useApi } from "./support.ts";

const { api, team } = useApi("reads");

/** What Prisma loads for the stack: the hot reads leave out the operation's saved plan. */
async function viaPrisma(id: string) {
  return api.db.stack.findUniqueOrThrow({
    where: { id },
    include: { ...STACK_INCLUDE, operations: { ...STACK_INCLUDE.operations, omit: { plan: true } } },
  });
}

async function newStack(name: string, data: Partial<Prisma.StackUncheckedCreateInput> = {}) {
  return api.db.stack.create({
    data: { teamId: team.id, kind: "pg-database", name: unique(name), spec: {}, status: "ready", ...data },
  });
}

describe("stack reads", () => {
  it("load every field as Prisma does, on the pool and in a transaction", async () => {
    const database = await newStack("db");
    const released = await newStack("old-db");
    const stack = await newStack("app", {
      kind: "test-app",
      spec: { replicas: 2, nested: { list: [1, "two", null] } },
      outputs: { url: "https://app.internal", port: 8080 },
      secretOutputs: ["token"],
      driftStatus: "drifted",
      driftCheckedAt: new Date("2026-01-02T03:04:05.678Z"),
      expiresAt: new Date("2027-01-01T00:00:00.001Z"),
      blueprintVersion: 3,
      protected: true,
      managedBy: "default/app",
    });
    await api.db.stackDependency.createMany({
      data: [
        { stackId: stack.id, dependsOnId: database.id },
        { stackId: stack.id, dependsOnId: released.id, releasedAt: new Date() },
      ],
    });
    const base = { teamId: team.id, stackId: stack.id, spec: {}, requestedBy: "test" };
    await api.db.operation.create({
      data: { ...base, kind: "up", status: "succeeded", createdAt: new Date("2026-01-01T00:00:00Z") },
    });
    await api.db.operation.create({
      data: {
        ...base,
        kind: "preview",
        status: "failed",
        error: { message: "it broke" },
        diff: { steps: [{ op: "create", urn: "urn:x" }] },
        notBefore: new Date("2026-01-03T00:00:00Z"),
        summary: { create: 1 },
        startedAt: new Date("2026-01-03T00:00:00.123Z"),
        finishedAt: new Date("2026-01-03T00:01:00.456Z"),
        cancelRequestedAt: new Date("2026-01-03T00:00:30Z"),
      },
    });

    const expected = await viaPrisma(stack.id);
    expect(expected.dependsOn).toHaveLength(1);
    expect(await readStack(api.db.pool, team.id, stack.id)).toEqual(expected);
    await api.db.$transaction(async (tx) => {
      expect(await readStack(tx, team.id, stack.id)).toEqual(expected);
    });
    const [listed] = await readStacks(api.db.pool, team.id, { kind: "test-app", take: 1 });
    expect(listed).toEqual(expected);
    expect(listed?.createdAt).toBeInstanceOf(Date);
    expect(listed?.operations[0]?.startedAt).toBeInstanceOf(Date);
  });

  it("load a stack without operations or dependencies", async () => {
    const stack = await newStack("bare");
    expect(await readStack(api.db.pool, team.id, stack.id)).toEqual(await viaPrisma(stack.id));
    expect(await readStack(api.db.pool, team.id, crypto.randomUUID())).toBeUndefined();
    // Read by id whichever team has it, then refused unless it is the caller's.
    expect(await readStack(api.db.pool, crypto.randomUUID(), stack.id)).toBeUndefined();
  });

  /**
   * Runs `reads` on a pool of one connection (so its prepared statements are the ones
   * pg_prepared_statements shows), then returns the plans of the statements like `pattern`.
   */
  async function plansAfter(reads: (pool: pg.Pool) => Promise<void>, pattern: string) {
    const db = createDb(api.url, { poolSize: 1 });
    try {
      await reads(db.pool);
      const { rows } = await db.pool.query<{ generic: number; custom: number }>(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
          WHERE statement LIKE $1`,
        [pattern],
      );
      return rows;
    } finally {
      await db.$disconnect();
    }
  }

  it("plan the default list page once: its size is in the statement, so Postgres keeps a generic plan", async () => {
    const plans = await plansAfter(async (pool) => {
      for (let i = 0; i < 8; i++) await readStacks(pool, team.id, { take: 21 });
    }, "%LIMIT 21%");
    expect(plans).toHaveLength(1);
    expect(plans[0]?.generic).toBeGreaterThan(0);
  });

  it("plan the read by ids once, whatever the batch's size: Postgres keeps a generic plan", async () => {
    const stacks = await Promise.all([1, 2, 3, 4].map((i) => newStack(`by-id-${i}`)));
    const ids = stacks.map((stack) => stack.id);
    const plans = await plansAfter(async (pool) => {
      // Batches of 1 to 4 ids, as a turn's reads make them.
      for (let i = 0; i < 12; i++) {
        const batch = ids.slice(0, (i % 4) + 1);
        expect([...(await readStacksById(pool, batch)).keys()].sort()).toEqual([...batch].sort());
      }
    }, "%WHERE s.id = ANY(%");
    expect(plans).toHaveLength(1);
    // Five custom plans to compare with, then the generic one for every run after them.
    expect(plans[0]).toEqual({ custom: 5, generic: 7 });
  });
});
