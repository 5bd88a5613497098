// Promotion of the next operation in a stack's line (real Postgres, real Redis). A job that found
// its stack busy is paused; whoever frees the stack promotes it. A job can also find the stack
// busy and be paused only after the stack was freed (the freeing run's promotion found it still
// active), so the processor asks once more, `onlyIfFree`, after pausing: that must promote it
// when nothing runs on the stack and no session holds its lock, and leave it paused otherwise.
import { randomBytes } from "node:crypto";
import { createLogger } from "@gantry/core";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { dropQueueKeys, testQueuePrefix } from "../../../tests/support/test-queues.ts";
import { tryLockStack } from "../src/operations/stack-lock.ts";
import { OPERATIONS_QUEUE } from "../src/queue/catalog.ts";
import { createRedis } from "../src/queue/connection.ts";
import { promoteNext } from "../src/queue/processor.ts";

const ctx = useTeamDatabase(`promote-${randomBytes(3).toString("hex")}`, 4);
const redis = createRedis(process.env.REDIS_URL ?? "");
const prefix = testQueuePrefix("promote");
const logger = createLogger({ name: "promote-test", level: "warn" });
let queue: Queue;

beforeAll(() => {
  queue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  await queue?.close();
  redis.disconnect();
  await dropQueueKeys(process.env.REDIS_URL ?? "", prefix);
});

/** A stack with a running operation and, behind it, a queued one whose job is paused. */
async function stackWithLine(): Promise<{ stackId: string; running: string; next: string }> {
  const stack = await ctx.db.stack.create({
    data: { teamId: ctx.teamId, kind: "pg-database", name: `s-${randomBytes(4).toString("hex")}`, spec: {} },
  });
  const operation = (status: "running" | "queued", createdAt: Date) =>
    ctx.db.operation.create({
      data: {
        teamId: ctx.teamId,
        stackId: stack.id,
        kind: "up",
        spec: {},
        requestedBy: "t",
        status,
        createdAt,
      },
    });
  const running = await operation("running", new Date(Date.now() - 2_000));
  const next = await operation("queued", new Date(Date.now() - 1_000));
  // As the processor leaves a job that found its stack busy: delayed, under its operation's id.
  await queue.add("operation.run", { operationId: next.id }, { jobId: next.id, delay: 600_000 });
  return { stackId: stack.id, running: running.id, next: next.id };
}

const deps = () => ({ db: ctx.db, queue, logger });

describe("promoteNext", () => {
  it("onlyIfFree: promotes the next operation once nothing runs on the stack and its lock is free", async () => {
    const { stackId, running, next } = await stackWithLine();
    expect(await queue.getJobState(next)).toBe("delayed");

    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await queue.getJobState(next)).toBe("delayed"); // its operation still runs

    // The run has ended, but its worker still holds the stack's lock (it is finishing).
    const lock = await tryLockStack(ctx.url, stackId);
    expect(lock).not.toBeNull();
    await ctx.db.operation.update({ where: { id: running }, data: { status: "succeeded" } });
    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await queue.getJobState(next)).toBe("delayed");

    await lock?.release();
    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await queue.getJobState(next)).toBe("waiting");
  });

  it("without onlyIfFree, promotes whatever holds the stack (its caller is the holder letting go)", async () => {
    const { stackId, next } = await stackWithLine();
    await promoteNext(deps(), stackId);
    expect(await queue.getJobState(next)).toBe("waiting");
  });
});
