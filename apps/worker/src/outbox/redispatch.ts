// Redis holds jobs, Postgres holds the truth. A queued operation whose job is gone — Redis lost
// its data in a restart, or the job ended without the operation ending — gets its job again.
// Jobs are ids only and the handler claims an operation once, so a spare job costs nothing.
import type { Db } from "@gantry/db";
import type { JobState, Queue } from "bullmq";
import { priorityFor } from "../drift/priority.ts";
import { addRunJob } from "../queue/catalog.ts";

export type RedispatchQueue = Pick<Queue, "add" | "getJobState" | "remove" | "getJob">;

/** Only operations older than this are checked, so the relay's own first dispatch is never raced. */
const GRACE_MS = 5_000;
const BATCH = 500;

/** A queued operation whose job is in one of these states will not run unless it is added again. */
const ORPHANED: ReadonlySet<JobState | "unknown"> = new Set(["completed", "failed", "unknown"]);

export async function redispatchOrphans(deps: {
  db: Pick<Db, "operation">;
  queue: RedispatchQueue;
}): Promise<number> {
  const queued = await deps.db.operation.findMany({
    where: { status: "queued", createdAt: { lt: new Date(Date.now() - GRACE_MS) } },
    select: { id: true, requestedBy: true },
    orderBy: { createdAt: "asc" },
    take: BATCH,
  });
  // Asked all at once: ioredis writes the commands back to back on its one connection, so a deep
  // queue costs one round trip, not one per operation.
  const states = await Promise.all(queued.map(({ id }) => deps.queue.getJobState(id)));
  let added = 0;
  for (const [i, { id, requestedBy }] of queued.entries()) {
    const state = states[i] ?? "unknown";
    if (!ORPHANED.has(state)) continue;
    // A finished job keeps its id, and adding that id again would be a no-op: it goes first.
    if (state !== "unknown") await deps.queue.remove(id);
    await addRunJob(deps.queue, id, { priority: priorityFor(requestedBy) });
    added += 1;
  }
  return added;
}

/**
 * Makes sure an operation recovery put back in line runs soon. Its job may be finished, missing,
 * waiting out a pause (promoted), or still active on the worker that died: that one comes back
 * only once BullMQ sees it stalled, so the operation gets a second job now. A spare job is harmless.
 */
export async function redispatchNow(
  deps: { db: Pick<Db, "operation">; queue: RedispatchQueue },
  operationId: string,
): Promise<void> {
  const op = await deps.db.operation.findUnique({
    where: { id: operationId },
    select: { requestedBy: true },
  });
  if (!op) return;
  const priority = priorityFor(op.requestedBy);
  const state = (await deps.queue.getJobState(operationId)) ?? "unknown";
  if (ORPHANED.has(state)) {
    if (state !== "unknown") await deps.queue.remove(operationId);
    await addRunJob(deps.queue, operationId, { priority });
  } else if (state === "delayed") {
    await (await deps.queue.getJob(operationId))?.promote();
  } else if (state === "active") {
    await addRunJob(deps.queue, operationId, { priority, jobId: `${operationId}-r${Date.now()}` });
  }
}
