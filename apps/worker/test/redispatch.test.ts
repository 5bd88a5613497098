// Queued operations whose jobs Redis no longer holds get them again (real Postgres, real Redis):
// the case of a Redis that restarted empty, or of a job that ended while its operation did not.
import { randomBytes } from "node:crypto";
import { Worker } from "bullmq";
import { describe, expect, it, vi } from "vitest";
import { newOperation, useTeamDatabase } from "../../../tests/support/team-database.ts";
import { BACKGROUND_PRIORITY } from "../src/drift/priority.ts";
import { redispatchOrphans } from "../src/outbox/redispatch.ts";
import { addRunJob, OPERATIONS_QUEUE } from "../src/queue/catalog.ts";
import { useOperationsQueue } from "./operations-queue.ts";

const ctx = useTeamDatabase(`redispatch-${randomBytes(3).toString("hex")}`, 4);
const test = useOperationsQueue("redispatch");

/** A queued operation on a stack of its own, accepted `ageMs` ago. */
const queuedOperation = async (ageMs: number, requestedBy = "gnt_person") =>
  (await newOperation(ctx, { requestedBy, createdAt: new Date(Date.now() - ageMs) })).operationId;

describe("redispatchOrphans", () => {
  it("adds a job for each queued operation whose job is missing or ended, and only for those", async () => {
    const missing = await queuedOperation(60_000);
    const scheduled = await queuedOperation(60_000, "schedule");
    const ended = await queuedOperation(60_000);
    const waiting = await queuedOperation(60_000);
    const fresh = await queuedOperation(0);
    const finished = await queuedOperation(60_000);
    await ctx.db.operation.update({ where: { id: finished }, data: { status: "succeeded" } });

    // A job that ran and completed while its operation stayed queued.
    const { queue, redis, prefix } = test;
    await addRunJob(queue, ended);
    const worker = new Worker(OPERATIONS_QUEUE, async () => undefined, { connection: redis, prefix });
    await vi.waitFor(async () => expect(await queue.getJobState(ended)).toBe("completed"), {
      timeout: 10_000,
      interval: 20,
    });
    await worker.close();
    await addRunJob(queue, waiting);

    expect(await redispatchOrphans({ db: ctx.db, queue })).toBe(3);

    expect(await queue.getJobState(missing)).toBe("waiting");
    expect(await queue.getJobState(ended)).toBe("waiting");
    expect(await queue.getJobState(waiting)).toBe("waiting");
    // A scheduled check keeps its place behind people's operations.
    expect(await queue.getJobState(scheduled)).toBe("prioritized");
    expect((await queue.getJob(scheduled))?.opts.priority).toBe(BACKGROUND_PRIORITY);
    // Too young to be an orphan (the relay may be dispatching it), or no longer queued.
    expect(await queue.getJobState(fresh)).toBe("unknown");
    expect(await queue.getJobState(finished)).toBe("unknown");

    // Everything queued has a live job now: a second sweep adds nothing.
    expect(await redispatchOrphans({ db: ctx.db, queue })).toBe(0);
  });
});
