// Promotion of the next operation in a stack's line (real Postgres, real Redis). A job that found
// its stack busy is paused; whoever frees the stack promotes it. A job can also find the stack
// busy and be paused only after the stack was freed (the freeing run's promotion found it still
// active), so the processor asks once more, `onlyIfFree`, after pausing: that must promote it
// when nothing runs on the stack and no session holds its lock, and leave it paused otherwise.
import { randomBytes } from "node:crypto";
import { createLogger } from "@gantry/core";
import { describe, expect, it } from "vitest";
import { newOperation, useTeamDatabase } from "../../../tests/support/team-database.ts";
import { tryLockStack } from "../src/operations/stack-lock.ts";
import { promoteNext } from "../src/queue/processor.ts";
import { useOperationsQueue } from "./operations-queue.ts";

const ctx = useTeamDatabase(`promote-${randomBytes(3).toString("hex")}`, 4);
const test = useOperationsQueue("promote");
const logger = createLogger({ name: "promote-test", level: "warn" });

/** A stack with a running operation and, behind it, a queued one whose job is paused. */
async function stackWithLine(): Promise<{ stackId: string; running: string; next: string }> {
  const ago = (ms: number) => new Date(Date.now() - ms);
  const running = await newOperation(ctx, { status: "running", createdAt: ago(2_000) });
  const { stackId, operationId: next } = await newOperation(ctx, {
    stackId: running.stackId,
    status: "queued",
    createdAt: ago(1_000),
  });
  // As the processor leaves a job that found its stack busy: delayed, under its operation's id.
  await test.queue.add("operation.run", { operationId: next }, { jobId: next, delay: 600_000 });
  return { stackId, running: running.operationId, next };
}

const deps = () => ({ db: ctx.db, queue: test.queue, logger });

describe("promoteNext", () => {
  it("onlyIfFree: promotes the next operation once nothing runs on the stack and its lock is free", async () => {
    const { stackId, running, next } = await stackWithLine();
    expect(await test.queue.getJobState(next)).toBe("delayed");

    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await test.queue.getJobState(next)).toBe("delayed"); // its operation still runs

    // The run has ended, but its worker still holds the stack's lock (it is finishing).
    const lock = await tryLockStack(ctx.url, stackId);
    expect(lock).not.toBeNull();
    await ctx.db.operation.update({ where: { id: running }, data: { status: "succeeded" } });
    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await test.queue.getJobState(next)).toBe("delayed");

    await lock?.release();
    await promoteNext(deps(), stackId, { onlyIfFree: true });
    expect(await test.queue.getJobState(next)).toBe("waiting");
  });

  it("without onlyIfFree, promotes whatever holds the stack (its caller is the holder letting go)", async () => {
    const { stackId, next } = await stackWithLine();
    await promoteNext(deps(), stackId);
    expect(await test.queue.getJobState(next)).toBe("waiting");
  });
});
