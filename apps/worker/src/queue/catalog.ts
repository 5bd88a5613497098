// The job catalog: every job Gantry puts on BullMQ, with its payload schema. Payloads carry ids
// only — never specs or secrets; the handler reads the rest from Postgres.
import type { Queue } from "bullmq";
import { z } from "zod";

export const OPERATIONS_QUEUE = "operations";

export const jobs = {
  "operation.run": z.object({ operationId: z.uuid() }).strict(),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]>;

/** Queues the run of an operation. The job id is the operation's, so adding it twice adds it once. */
export function addRunJob(queue: Pick<Queue, "add">, operationId: string) {
  return queue.add("operation.run", { operationId } satisfies JobPayload<"operation.run">, {
    jobId: operationId,
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
}
