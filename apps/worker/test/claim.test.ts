// Whose turn it is on a stack, in Postgres itself (real database): first in, first run, one at a time.
import { createDb, type Db } from "@gantry/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { claimOperation, isFirstInLine, nextInLine } from "../src/operations/claim.ts";

let database: TestDatabase;
let db: Db;
let teamId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 4 });
  teamId = (await db.team.create({ data: { name: "claims" } })).id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

async function stackWith(count: number): Promise<{ stackId: string; ops: string[] }> {
  const stack = await db.stack.create({
    data: { teamId, kind: "pg-database", name: `s-${Math.random().toString(16).slice(2, 10)}`, spec: {} },
  });
  const ops: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const op = await db.operation.create({
      data: { teamId, stackId: stack.id, kind: "up", spec: {}, requestedBy: "test" },
    });
    ops.push(op.id);
  }
  return { stackId: stack.id, ops };
}

describe("claiming operations", () => {
  it("lets only the oldest queued operation of a stack start, and only when nothing runs there", async () => {
    const { stackId, ops } = await stackWith(3);
    const [first, second, third] = ops as [string, string, string];
    expect(await isFirstInLine(db, second)).toBe(false);
    expect(await claimOperation(db, second, "w1", 10_000)).toBe(false);
    expect(await claimOperation(db, first, "w1", 10_000)).toBe(true);
    expect(await claimOperation(db, first, "w2", 10_000)).toBe(false); // a second delivery
    // The first runs: the second is next in line but may not start yet.
    expect(await nextInLine(db, stackId)).toBe(second);
    expect(await claimOperation(db, second, "w2", 10_000)).toBe(false);

    await db.operation.update({ where: { id: first }, data: { status: "succeeded" } });
    expect(await isFirstInLine(db, second)).toBe(true);
    expect(await claimOperation(db, second, "w2", 10_000)).toBe(true);
    const claimed = await db.operation.findUniqueOrThrow({ where: { id: second } });
    expect(claimed).toMatchObject({ status: "running", workerId: "w2", attempts: 1 });
    expect(claimed.leaseUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(await nextInLine(db, stackId)).toBe(third);
  });

  it("is backed by the database: a second running operation on one stack is refused whoever writes it", async () => {
    const { ops } = await stackWith(2);
    await db.operation.update({ where: { id: ops[0] }, data: { status: "running" } });
    await expect(db.operation.update({ where: { id: ops[1] }, data: { status: "running" } })).rejects.toThrow(
      /Unique constraint/i,
    );
  });

  it("lets many workers race for one stack's line: exactly one wins", async () => {
    const { ops } = await stackWith(6);
    const wins = await Promise.all(ops.map((id, i) => claimOperation(db, id, `w${i}`, 10_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(wins[0]).toBe(true);
  });
});
