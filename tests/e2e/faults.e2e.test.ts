// Faults in the middle of real runs, each on servers of the test's own: Postgres restarted (a
// crash: every session cut, then back), Redis restarted (it comes back empty), and a worker and
// Postgres down together. After each, the operation that was running ends `succeeded` by itself,
// the spec is deployed, and the stack is not left locked: the next up succeeds on its first run.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { migrate } from "../../packages/db/src/migrate/migrate.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { createTestPostgres, type TestPostgres } from "./pg-cluster.ts";
import { connectionLimitOf } from "./pg-server.ts";
import { createTestRedis, type TestRedis } from "./redis-server.ts";

let postgres: TestPostgres;
let redis: TestRedis;
let gantry: Gantry;
let stack: { id: string; role: string };
let limit = 10;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([createTestPostgres(), createTestRedis()]);
  await Promise.all([postgres.start(), redis.start()]);
  const databaseUrl = postgres.url.replace(/\/postgres$/, "/gantry");
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query("CREATE DATABASE gantry");
  await admin.end();
  await migrate(databaseUrl);
  gantry = await startGantry({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    WORKER_LEASE_MS: "3000",
    WORKER_RECOVERY_INTERVAL_MS: "300",
  });
  stack = await gantry.readyDatabase(`faults-${randomBytes(3).toString("hex")}`, { connectionLimit: limit });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
  await Promise.all([postgres?.remove(), redis?.remove()]);
});

/** Asks for a change and waits until its run is under way (the engine has said something). */
async function changeUnderWay(): Promise<string> {
  limit += 1;
  const answer = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: limit } });
  expect(answer.status).toBe(202);
  const id: string = answer.body.operation.id;
  await vi.waitFor(
    async () => {
      expect((await gantry.call("GET", `/v1/operations/${id}`)).body.status).toBe("running");
      const events = await gantry.call("GET", `/v1/operations/${id}/events?after=0`);
      expect(events.body.events.length).toBeGreaterThanOrEqual(3);
    },
    { timeout: 60_000, interval: 50 },
  );
  return id;
}

/** The operation succeeded, the spec is deployed, and the next up runs once and succeeds. */
async function expectRecovered(operationId: string): Promise<void> {
  const op = await gantry.finished(operationId);
  expect({ status: op.status, error: op.error }).toEqual({ status: "succeeded", error: null });
  expect(await connectionLimitOf(stack.role)).toBe(limit);
  limit += 1;
  const next = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: limit } });
  const after = await gantry.finished(next.body.operation.id);
  expect({ status: after.status, attempts: after.attempts }).toEqual({ status: "succeeded", attempts: 1 });
  expect(await connectionLimitOf(stack.role)).toBe(limit);
}

it("finishes a run through a Postgres restart", async () => {
  const id = await changeUnderWay();
  await postgres.crash();
  await postgres.start();
  await expectRecovered(id);
});

it("finishes a run through a Redis restart that loses every job", async () => {
  const id = await changeUnderWay();
  await redis.stop();
  await redis.start();
  await expectRecovered(id);
});

it("finishes a run whose worker died while Postgres was down", async () => {
  const id = await changeUnderWay();
  const worker = gantry.workers.at(-1);
  await Promise.all([worker?.kill(), postgres.crash()]);
  await postgres.start();
  await gantry.startWorker();
  await expectRecovered(id);
});
