// When a stack's destruction is under way (the rule the API and auto-remediation share), on a real
// database.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { createDb, type Db, destructionUnderWay } from "../src/index.ts";

let database: TestDatabase;
let db: Db;
let teamId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 2 });
  teamId = (await db.team.create({ data: { name: "destruction" } })).id;
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

async function stackWith(status: string, operations: { kind: string; status: string }[] = []) {
  const stack = await db.stack.create({
    data: { teamId, kind: "pg-database", name: `s-${randomBytes(4).toString("hex")}`, spec: {}, status },
  });
  for (const op of operations)
    await db.operation.create({
      data: { teamId, stackId: stack.id, spec: {}, requestedBy: "test", ...op },
    });
  return stack;
}

describe("destructionUnderWay", () => {
  it("is true for a destroying or destroyed stack, and while a destroy is queued or running", async () => {
    expect(await destructionUnderWay(db, await stackWith("destroying"))).toBe(true);
    expect(await destructionUnderWay(db, await stackWith("destroyed"))).toBe(true);
    const queued = await stackWith("ready", [{ kind: "destroy", status: "queued" }]);
    expect(await destructionUnderWay(db, queued)).toBe(true);
    const running = await stackWith("ready", [{ kind: "destroy", status: "running" }]);
    expect(await destructionUnderWay(db, running)).toBe(true);
  });

  it("is false for a stack whose destroys ended, or that never had one", async () => {
    expect(await destructionUnderWay(db, await stackWith("ready"))).toBe(false);
    const cancelled = await stackWith("ready", [
      { kind: "destroy", status: "cancelled" },
      { kind: "up", status: "queued" },
    ]);
    expect(await destructionUnderWay(db, cancelled)).toBe(false);
  });
});
