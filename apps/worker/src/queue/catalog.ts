// The job catalog: every job Gantry puts on BullMQ, with its payload schema. Payloads carry ids
// only — never specs or secrets; the handler reads the rest from Postgres.
import type { Queue } from "bullmq";
import { z } from "zod";
import { WebhookNotification } from "../webhooks/webhook-events.ts";

export const OPERATIONS_QUEUE = "operations";
/** Drift schedule ticks (drift/schedule-queue.ts). */
export const DRIFT_QUEUE = "drift";
/** Webhook deliveries, one job per event and receiver, retried with backoff (webhooks/). */
export const WEBHOOKS_QUEUE = "webhooks";

export const jobs = {
  "operation.run": z.object({ operationId: z.uuid() }).strict(),
  "drift.tick": z.strictObject({}),
  "webhook.deliver": z.strictObject({
    notification: WebhookNotification,
    /** Index of the receiver in GANTRY_WEBHOOK_URLS: a URL may hold a token, so it stays out of Redis. */
    receiver: z.int().min(0),
    occurredAt: z.iso.datetime(),
  }),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]>;

/**
 * Queues the run of an operation. The job id is the operation's, so adding it twice adds it once
 * (recovery may add a second job under another id: see redispatchNow).
 * A priority marks background work (scheduled drift checks) that waits behind users' operations.
 */
export function addRunJob(
  queue: Pick<Queue, "add">,
  operationId: string,
  options: { priority?: number; jobId?: string } = {},
) {
  const job = runJob(operationId, options);
  return queue.add(job.name, job.data, job.opts);
}

/** As addRunJob for many operations in one Redis round trip (the outbox relay's batches). */
export function addRunJobs(
  queue: Pick<Queue, "addBulk">,
  runs: readonly { operationId: string; priority?: number }[],
) {
  return queue.addBulk(runs.map(({ operationId, priority }) => runJob(operationId, { priority })));
}

function runJob(operationId: string, options: { priority?: number; jobId?: string }) {
  return {
    name: "operation.run" as const,
    data: { operationId } satisfies JobPayload<"operation.run">,
    opts: {
      jobId: options.jobId ?? operationId,
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...(options.priority ? { priority: options.priority } : {}),
    },
  };
}
