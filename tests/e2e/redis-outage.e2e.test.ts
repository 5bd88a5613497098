// Redis goes away while requests arrive, and comes back empty: every accepted request still runs,
// exactly once. Postgres holds what was accepted (the outbox, the operations); Redis only the jobs.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type Gantry, startGantry } from "./gantry.ts";
import { connectionLimitOf } from "./pg-server.ts";
import { createTestRedis, type TestRedis } from "./redis-server.ts";

let redis: TestRedis;
let gantry: Gantry;

beforeAll(async () => {
  redis = await createTestRedis();
  await redis.start();
  gantry = await startGantry({ REDIS_URL: redis.url });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
  await redis?.remove();
});

it("runs every request accepted while Redis was down exactly once after it is back", async () => {
  const stack = await gantry.readyDatabase(`outage-${randomBytes(3).toString("hex")}`, {
    connectionLimit: 3,
  });
  await redis.stop();

  const accepted: string[] = [];
  const created = await gantry.call("POST", "/v1/stacks", {
    kind: "pg-database",
    name: `during-${randomBytes(3).toString("hex")}`,
    spec: { connectionLimit: 4 },
  });
  expect(created.status).toBe(202);
  accepted.push(created.body.operation.id);
  const previewed = await gantry.call("POST", `/v1/stacks/${stack.id}/operations`, { kind: "preview" });
  expect(previewed.status).toBe(202);
  accepted.push(previewed.body.operation.id);
  const patched = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 5 } });
  expect(patched.status).toBe(202);
  accepted.push(patched.body.operation.id);

  // The relay has tried, and failed, to hand them over while Redis was down.
  await vi.waitFor(() => expect(gantry.workers[0]?.output()).toMatch(/outbox relay could not dispatch/), {
    timeout: 30_000,
    interval: 50,
  });
  for (const id of accepted) {
    expect((await gantry.call("GET", `/v1/operations/${id}`)).body.status).toBe("queued");
  }

  await redis.start();
  const ends = await Promise.all(accepted.map((id) => gantry.finished(id)));
  expect(ends.map((op) => [op.status, op.error])).toEqual(accepted.map(() => ["succeeded", null]));
  expect(await connectionLimitOf(stack.role)).toBe(5);

  // Exactly once: each operation was claimed by one run, and its engine log holds one run.
  const db = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ attempts: number; summaries: number }>(
      `SELECT o.attempts, (SELECT count(*)::int FROM operation_events e
                            WHERE e.operation_id = o.id AND e.type = 'summary') AS summaries
         FROM operations o WHERE o.id = ANY($1::uuid[])`,
      [accepted],
    );
    expect(rows).toEqual(accepted.map(() => ({ attempts: 1, summaries: 1 })));
  } finally {
    await db.end();
  }
});
