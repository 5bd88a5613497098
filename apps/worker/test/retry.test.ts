// The retry path in the worker, on real Postgres and Redis (outbox relay, queue, processor, stack
// lock, lifecycle): a transient failure runs again once its backoff has passed — measured between
// the runs, and visible meanwhile as a not-before time — and a permanent one does not. Only the
// engine is replaced, by one that plays each operation a script of results: the point is what the
// worker does with a result (tests/e2e runs the real engine, and faults that really happen).
import { randomBytes } from "node:crypto";
import { createLogger } from "@gantry/core";
import { createDb, type Db, enqueueOperation } from "@gantry/db";
import { failedRun, type RunResult, type runEngineProcess } from "@gantry/engine";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { dropQueueKeys, testQueuePrefix } from "../../../tests/support/test-queues.ts";
import { createRedis } from "../src/queue/connection.ts";
import { startPipeline } from "./pipeline.ts";

const RETRY_BASE_MS = 1_500;
const MAX_ATTEMPTS = 3;

let database: TestDatabase;
let db: Db;
let redis: Redis;
let teamId: string;
const prefix = testQueuePrefix("retry");
const logger = createLogger({ name: "retry-test", level: "warn" });

const ok: RunResult = {
  ok: true,
  summary: { create: 0, update: 1, replace: 0, delete: 0, same: 1 },
  outputs: null,
  error: null,
};
const transient = () => failedRun("connect ECONNRESET 10.0.0.1:443", true);
const permanent = () => failedRun("error: the program threw: spec.name is not a string", false);

/** Per stack: the results its runs return, in order, and when each run started and ended. */
const scripts = new Map<string, RunResult[]>();
const runs = new Map<string, { start: number; end: number }[]>();
const scriptedEngine: typeof runEngineProcess = async (request, _settings, hooks) => {
  hooks?.onStarted?.(0);
  const start = Date.now();
  const result = scripts.get(request.stack.id)?.shift() ?? ok;
  runs.set(request.stack.id, [...(runs.get(request.stack.id) ?? []), { start, end: Date.now() }]);
  return result;
};

const stopAll: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 6 });
  redis = createRedis(process.env.REDIS_URL ?? "");
  teamId = (await db.team.create({ data: { name: `retry-${randomBytes(3).toString("hex")}` } })).id;
  stopAll.push(
    startPipeline({
      db,
      databaseUrl: database.url,
      redis,
      prefix,
      logger,
      runEngine: scriptedEngine,
      concurrency: 2,
      retry: { maxAttempts: MAX_ATTEMPTS, retryBaseMs: RETRY_BASE_MS },
      workerId: "retry-test",
    }),
  );
});

afterAll(async () => {
  for (const stop of stopAll.reverse()) await stop();
  redis?.disconnect();
  await dropQueueKeys(process.env.REDIS_URL ?? "", prefix);
  await db?.$disconnect();
  await database?.drop();
});

/** A stack whose runs return `script`, and its `up`. */
async function upWith(script: RunResult[]): Promise<{ stackId: string; operationId: string }> {
  const stack = await db.stack.create({
    data: {
      teamId,
      kind: "pg-database",
      name: `s-${randomBytes(4).toString("hex")}`,
      spec: {},
      status: "ready",
    },
  });
  scripts.set(stack.id, script);
  const op = await db.$transaction((tx) =>
    enqueueOperation(tx, { teamId, stackId: stack.id, kind: "up", spec: {}, requestedBy: "test" }),
  );
  return { stackId: stack.id, operationId: op.id };
}

const ended = (operationId: string) =>
  vi.waitFor(
    async () => {
      const op = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
      expect(["succeeded", "failed"]).toContain(op.status);
      return op;
    },
    { timeout: 30_000, interval: 20 },
  );

/** Pauses between the end of each run and the start of the next. */
const gaps = (stackId: string) =>
  (runs.get(stackId) ?? []).slice(1).map((run, i) => run.start - (runs.get(stackId)?.[i]?.end ?? 0));

describe("retries", () => {
  it("runs a transient failure again once its backoff has passed, and not before", async () => {
    const { stackId, operationId } = await upWith([transient(), ok]);
    // Between the runs the operation waits, queued, with the time it may run again.
    const waiting = await vi.waitFor(
      async () => {
        const op = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
        expect(op).toMatchObject({ status: "queued", attempts: 1, error: { retryable: true } });
        return op;
      },
      { timeout: 10_000, interval: 10 },
    );
    expect(waiting.notBefore?.getTime()).toBeGreaterThan(Date.now());
    expect(await db.stack.findUniqueOrThrow({ where: { id: stackId } })).toMatchObject({ status: "ready" });

    const op = await ended(operationId);
    expect(op).toMatchObject({ status: "succeeded", attempts: 2, error: null });
    const [gap] = gaps(stackId);
    // The backoff is the base with ±25% jitter; the second run waited it out, and came when it
    // ended, not at some later recheck (the slack is for a busy machine's scheduling).
    expect(gap).toBeGreaterThanOrEqual(RETRY_BASE_MS * 0.75);
    expect(gap).toBeLessThan(RETRY_BASE_MS * 1.25 + 5_000);
    console.log(`retry: measured pause ${gap} ms for a backoff of ${RETRY_BASE_MS} ms ±25%`);
  });

  it("doubles the backoff for each further run, and gives up after the last attempt", async () => {
    const { stackId, operationId } = await upWith([transient(), transient(), transient()]);
    const op = await ended(operationId);
    expect(op).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, error: { retryable: true } });
    const [first, second] = gaps(stackId);
    expect(runs.get(stackId)).toHaveLength(MAX_ATTEMPTS);
    expect(first).toBeGreaterThanOrEqual(RETRY_BASE_MS * 0.75);
    expect(second).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 * 0.75);
    expect(await db.stack.findUniqueOrThrow({ where: { id: stackId } })).toMatchObject({ status: "failed" });
  });

  it("does not run a permanent failure again", async () => {
    const { stackId, operationId } = await upWith([permanent(), ok]);
    const op = await ended(operationId);
    expect(op).toMatchObject({ status: "failed", attempts: 1, error: { retryable: false } });
    expect(runs.get(stackId)).toHaveLength(1);
  });
});
