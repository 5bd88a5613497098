// Redis holds jobs, Postgres holds the truth. A queued operation whose job is gone — Redis lost
// its data in a restart, or the job ended without the operation ending — gets its job again.
// Jobs are ids only and the handler claims an operation once, so a spare job costs nothing.
import type { Db } from "@gantry/db";
import type { Queue } from "bullmq";
import { addRunJob } from "../queue/catalog.ts";

export type RedispatchQueue = Pick<Queue, "add" | "getJob">;

/** Only operations older than this are checked, so the relay's own first dispatch is never raced. */
const GRACE_MS = 5_000;

export async function redispatchOrphans(deps: {
  db: Pick<Db, "operation">;
  queue: RedispatchQueue;
}): Promise<number> {
  const queued = await deps.db.operation.findMany({
    where: { status: "queued", createdAt: { lt: new Date(Date.now() - GRACE_MS) } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  let added = 0;
  for (const { id } of queued) {
    const job = await deps.queue.getJob(id);
    const state = job ? await job.getState() : "unknown";
    if (state === "completed" || state === "failed") await job?.remove();
    if (state === "completed" || state === "failed" || state === "unknown") {
      await addRunJob(deps.queue, id);
      added += 1;
    }
  }
  return added;
}
