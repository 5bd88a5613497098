// The drift schedule at fleet scale, in the worker: the real job scheduler on real Redis, the real
// outbox relay, processor, per-stack lock and drift-check handler on real Postgres. Only the
// engine is replaced, by one that counts the checks it is asked for and reports no drift: the
// point here is how checks are scheduled, not what one finds (tests/e2e/drift.e2e.test.ts runs
// the real engine). Many stacks, a short interval, several intervals.
import { randomBytes } from "node:crypto";
import { createLogger } from "@gantry/core";
import { createDb, type Db, enqueueOperation } from "@gantry/db";
import type { runEngineProcess } from "@gantry/engine";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { dropQueueKeys, testQueuePrefix } from "../../../tests/support/test-queues.ts";
import { startDriftSchedule } from "../src/drift/schedule-queue.ts";
import { createRedis } from "../src/queue/connection.ts";
import { startPipeline } from "./pipeline.ts";

const STACKS = 120;
const INTERVAL_S = 6;
const TICK_S = 1;
const INTERVALS = 3;
/** How long the counting engine takes per check. */
let checkMs = 20;

let database: TestDatabase;
let db: Db;
let redis: Redis;
let teamId: string;
const prefix = testQueuePrefix("drift-schedule");
const logger = createLogger({ name: "drift-schedule-test", level: "warn" });

/** Every check the engine was asked for: which stack, when it started and ended. */
const checks: { stackId: string; start: number; end: number }[] = [];
let running = 0;
let maxRunningPerStack = 0;
const runningPerStack = new Map<string, number>();
const countingEngine: typeof runEngineProcess = async (request, _settings, hooks) => {
  hooks?.onStarted?.(0);
  const n = (runningPerStack.get(request.stack.id) ?? 0) + 1;
  runningPerStack.set(request.stack.id, n);
  maxRunningPerStack = Math.max(maxRunningPerStack, n);
  running += 1;
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, checkMs));
  running -= 1;
  runningPerStack.set(request.stack.id, n - 1);
  checks.push({ stackId: request.stack.id, start, end: Date.now() });
  const summary = { create: 0, update: 0, replace: 0, delete: 0, same: 2 };
  return { ok: true, summary, outputs: null, error: null, drift: [] };
};

const stopAll: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { poolSize: 8 });
  redis = createRedis(process.env.REDIS_URL ?? "");
  teamId = (await db.team.create({ data: { name: `fleet-${randomBytes(3).toString("hex")}` } })).id;
  await db.stack.createMany({
    data: Array.from({ length: STACKS }, (_, i) => ({
      teamId,
      kind: "pg-database",
      name: `s-${i}`,
      spec: {},
      status: "ready",
    })),
  });
});

afterAll(async () => {
  for (const stop of stopAll.reverse()) await stop();
  redis?.disconnect();
  await dropQueueKeys(process.env.REDIS_URL ?? "", prefix);
  await db?.$disconnect();
  await database?.drop();
});

/** The worker's pipeline with the counting engine; stopped after the file if not before. */
function startCountingPipeline(concurrency: number): () => Promise<void> {
  const stop = startPipeline({
    db,
    databaseUrl: database.url,
    redis,
    prefix,
    logger,
    runEngine: countingEngine,
    concurrency,
    retry: { maxAttempts: 1, retryBaseMs: 1_000 },
    workerId: `drift-test-${concurrency}`,
  });
  let stopped: Promise<void> | undefined;
  const once = () => {
    stopped ??= stop();
    return stopped;
  };
  stopAll.push(once);
  return once;
}

describe("the drift schedule", () => {
  it(`checks each of ${STACKS} stacks once per interval, spread over it, never twice at once`, async () => {
    const stopPipeline = startCountingPipeline(4);
    const schedule = await startDriftSchedule({
      db,
      redis,
      prefix,
      settings: { defaultIntervalSeconds: INTERVAL_S, tickSeconds: TICK_S },
      logger,
    });
    stopAll.push(() => schedule.close());
    const began = Date.now();

    // Stopped whatever happens, so that the next test starts without this schedule.
    try {
      // Wait until every stack had its checks for INTERVALS intervals after its first.
      await vi.waitFor(
        async () => {
          const perStack = await db.operation.groupBy({
            by: ["stackId"],
            where: { kind: "drift-check", status: "succeeded" },
            _count: { _all: true },
          });
          expect(perStack.length).toBe(STACKS);
          expect(Math.min(...perStack.map((s) => s._count._all))).toBeGreaterThanOrEqual(INTERVALS);
        },
        { timeout: (INTERVALS + 4) * INTERVAL_S * 1000, interval: 250 },
      );
    } finally {
      await schedule.close();
      await stopPipeline();
    }

    const ops = await db.operation.findMany({
      where: { kind: "drift-check" },
      orderBy: { createdAt: "asc" },
      select: {
        stackId: true,
        status: true,
        requestedBy: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
      },
    });
    expect(new Set(ops.map((op) => op.requestedBy))).toEqual(new Set(["schedule"]));
    expect(maxRunningPerStack).toBe(1);

    const byStack = new Map<string, typeof ops>();
    for (const op of ops) byStack.set(op.stackId, [...(byStack.get(op.stackId) ?? []), op]);
    const intervalMs = INTERVAL_S * 1000;
    const slack = TICK_S * 1000 + 600;
    const gaps: number[] = [];
    const offPhase: number[] = [];
    for (const list of byStack.values()) {
      for (let i = 1; i < list.length; i++) {
        const [previous, current] = [list[i - 1], list[i]];
        if (!previous?.finishedAt || !current) continue;
        const gap = current.createdAt.getTime() - previous.createdAt.getTime();
        gaps.push(gap);
        // Never queued twice: the previous check had finished before the next was queued.
        expect(previous.finishedAt.getTime()).toBeLessThanOrEqual(current.createdAt.getTime());
        // On the stack's phase: a whole number of intervals after the previous check, to a tick.
        const intervals = Math.max(1, Math.round(gap / intervalMs));
        offPhase.push(Math.abs(gap - intervals * intervalMs));
        // An interval is skipped only when the check before was still in line at its due time (a
        // loaded machine runs the backlog late); the schedule never piles checks up.
        if (intervals > 1)
          expect(previous.finishedAt.getTime() - previous.createdAt.getTime()).toBeGreaterThan(
            (intervals - 1) * intervalMs - slack,
          );
      }
    }
    expect(gaps.length).toBeGreaterThanOrEqual(STACKS * (INTERVALS - 1));
    // Once per interval: never before the interval is up, and on the phase to within a tick.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(intervalMs - slack);
    expect(Math.max(...offPhase)).toBeLessThanOrEqual(slack);

    // Spread out: the first checks fall across the whole first interval, not in a burst. Per
    // second of the interval, each bucket holds between a third and three times its fair share.
    const firsts = [...byStack.values()].map((list) => (list[0]?.createdAt.getTime() ?? 0) - began);
    const buckets = Array.from({ length: INTERVAL_S + 1 }, () => 0);
    for (const at of firsts) {
      const bucket = Math.min(INTERVAL_S, Math.floor(at / 1000));
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    const fair = STACKS / INTERVAL_S;
    for (const count of buckets.slice(1, INTERVAL_S)) {
      expect(count).toBeGreaterThan(fair / 3);
      expect(count).toBeLessThan(fair * 3);
    }
    expect(checks.length).toBe(ops.filter((op) => op.status === "succeeded").length);
    expect(running).toBe(0);
  }, 120_000);

  it("lets a user's operation overtake a backlog of scheduled checks", async () => {
    checkMs = 300;
    // Stacks with nothing in line: the schedule of the test before may have left checks queued,
    // and an operation waits for those of its own stack whatever their priority.
    const stacks = await db.stack.findMany({
      where: { teamId, operations: { none: { status: { in: ["queued", "running"] } } } },
      select: { id: true },
      take: 41,
    });
    const [userStack, ...scheduled] = stacks;
    if (!userStack) throw new Error("no stacks");
    for (const stack of scheduled) {
      await db.$transaction((tx) =>
        enqueueOperation(tx, {
          teamId,
          stackId: stack.id,
          kind: "drift-check",
          spec: {},
          requestedBy: "schedule",
        }),
      );
    }
    const stopPipeline = startCountingPipeline(1);
    // Once the backlog is in the queue and checks are running, a person asks for a check.
    await vi.waitFor(
      async () => {
        expect(await db.operation.count({ where: { requestedBy: "schedule", status: "running" } })).toBe(1);
        expect(await db.outboxEntry.count({ where: { dispatchedAt: null } })).toBe(0);
      },
      { timeout: 10_000, interval: 20 },
    );
    const user = await db.$transaction((tx) =>
      enqueueOperation(tx, {
        teamId,
        stackId: userStack.id,
        kind: "drift-check",
        spec: {},
        requestedBy: "gnt_person",
      }),
    );
    await vi.waitFor(
      async () => {
        const op = await db.operation.findUniqueOrThrow({ where: { id: user.id } });
        expect(op.status).toBe("succeeded");
      },
      { timeout: 60_000, interval: 50 },
    );
    const op = await db.operation.findUniqueOrThrow({ where: { id: user.id } });
    // Once its job was in the queue it waited for at most the check that was running and the one
    // the worker may have fetched at that instant, not for the backlog. Counted in checks, not in
    // seconds, so a loaded machine can neither make it pass nor fail.
    const { dispatchedAt } = await db.outboxEntry.findFirstOrThrow({ where: { operationId: user.id } });
    const startedWhileItWaited = await db.operation.count({
      where: {
        requestedBy: "schedule",
        startedAt: { gt: dispatchedAt ?? new Date(0), lt: op.startedAt ?? new Date() },
      },
    });
    expect(startedWhileItWaited).toBeLessThanOrEqual(1);
    // The backlog queued before it ran after it (or has not run yet).
    const overtaken = await db.operation.count({
      where: {
        requestedBy: "schedule",
        createdAt: { lt: op.createdAt },
        OR: [{ startedAt: null }, { startedAt: { gt: op.startedAt ?? new Date() } }],
      },
    });
    expect(overtaken).toBeGreaterThan(30);
    await stopPipeline();
  }, 120_000);
});
