// When an operation may start, given the state of the stacks it depends on (real Postgres).
import { createDb, type Db } from "@gantry/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { checkDependencies, DEPENDENCY_WAIT_LIMIT_MS } from "../src/operations/dependency-gate.ts";

let database: TestDatabase;
let db: Db;
let teamId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 2 });
  teamId = (await db.team.create({ data: { name: "gate" } })).id;
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

/** A stack depending on one stack per given state; `pending` adds a queued operation to it. */
async function stackOn(...dependencies: { name: string; status: string; pending?: boolean }[]) {
  const ids: string[] = [];
  for (const d of dependencies) {
    const name = `${d.name}-${Math.random().toString(16).slice(2, 8)}`;
    const stack = await db.stack.create({
      data: { teamId, kind: "network", name, spec: {}, status: d.status },
    });
    if (d.pending)
      await db.operation.create({
        data: { teamId, stackId: stack.id, kind: "up", spec: {}, requestedBy: "t" },
      });
    ids.push(stack.id);
  }
  const dependent = await db.stack.create({
    data: {
      teamId,
      kind: "rds-database",
      name: `db-${Math.random().toString(16).slice(2, 8)}`,
      spec: {},
      dependsOn: { create: ids.map((dependsOnId) => ({ dependsOnId })) },
    },
  });
  return dependent.id;
}

describe("the dependency gate", () => {
  it("opens for a stack without dependencies or with every dependency ready", async () => {
    expect(await checkDependencies(db, await stackOn(), new Date())).toEqual({ state: "open" });
    const ready = await stackOn({ name: "a", status: "ready" }, { name: "b", status: "ready" });
    expect(await checkDependencies(db, ready, new Date())).toEqual({ state: "open" });
  });

  it("waits while a dependency has an operation on its way", async () => {
    const id = await stackOn(
      { name: "net", status: "provisioning", pending: true },
      { name: "ok", status: "ready" },
    );
    const gate = await checkDependencies(db, id, new Date());
    expect(gate.state).toBe("wait");
    expect(gate.state === "wait" && gate.waitingFor).toEqual([expect.stringMatching(/^net-/)]);
  });

  it("blocks on a failed dependency with nothing pending, naming it", async () => {
    const id = await stackOn({ name: "broken", status: "failed" });
    const gate = await checkDependencies(db, id, new Date());
    expect(gate).toEqual({
      state: "blocked",
      message: expect.stringMatching(
        /^dependencies are not ready: "broken-[0-9a-f]+" is failed; fix them, then retry/,
      ),
    });
  });

  it("gives up after the wait limit", async () => {
    const id = await stackOn({ name: "slow", status: "provisioning", pending: true });
    const queuedAt = new Date(Date.now() - DEPENDENCY_WAIT_LIMIT_MS - 1000);
    const gate = await checkDependencies(db, id, queuedAt);
    expect(gate).toEqual({
      state: "blocked",
      message: expect.stringMatching(/^dependencies were not ready within 60 minutes: slow-/),
    });
  });
});
