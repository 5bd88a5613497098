// Webhook deliveries through BullMQ: one job per event and receiver, so a receiver that is down
// is retried on its own, with exponential backoff, without holding up the others.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { jobs, WEBHOOKS_QUEUE } from "../queue/catalog.ts";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";
import { webhookBody } from "./webhook-body.ts";
import type { Notify } from "./webhook-events.ts";

export interface WebhookSettings {
  urls: string[];
  secret: string;
}

/** Attempts per delivery: 1 s, 2 s, 4 s … about 17 minutes in all before it is given up. */
const ATTEMPTS = 10;
const TIMEOUT_MS = 10_000;

export function startWebhooks(deps: {
  db: Pick<Db, "operation" | "stack" | "driftReport">;
  /** The BullMQ Worker's connection (reconnects forever). */
  redis: Redis;
  /**
   * The queue's: fails fast while Redis is down, since notifying happens while a run still holds
   * its stack's lock and must not wait for Redis to come back (queue/connection.ts).
   */
  queueRedis: Redis;
  prefix: string;
  settings: WebhookSettings;
  logger: Logger;
}): { notify: Notify; close: () => Promise<void> } {
  const queue = new Queue(WEBHOOKS_QUEUE, { connection: deps.queueRedis, prefix: deps.prefix });
  queue.on("error", (err) => deps.logger.warn({ err }, "webhook queue connection error"));
  const worker = new Worker(
    WEBHOOKS_QUEUE,
    async (job: Job) => {
      const { notification, receiver, occurredAt } = jobs["webhook.deliver"].parse(job.data);
      const url = deps.settings.urls[receiver];
      if (!url) return; // the receiver was removed from the configuration since
      const body = JSON.stringify(
        await webhookBody(deps.db, notification, { deliveryId: job.id ?? "", occurredAt }),
      );
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signatureHeader(deps.settings.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`receiver ${receiver} answered ${response.status}`);
    },
    { connection: deps.redis, prefix: deps.prefix, concurrency: 4 },
  );
  worker.on("failed", (job, err) =>
    deps.logger.warn(
      { jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
      "webhook delivery failed",
    ),
  );

  const notify: Notify = async (notification) => {
    const occurredAt = new Date().toISOString();
    try {
      await queue.addBulk(
        deps.settings.urls.map((_url, receiver) => ({
          name: "webhook.deliver",
          data: { notification, receiver, occurredAt },
          opts: {
            attempts: ATTEMPTS,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        })),
      );
    } catch (err) {
      // A notification is not the operation's outcome: a Redis failure here is logged, not raised.
      deps.logger.error({ err, event: notification.event }, "could not queue webhook notification");
    }
  };
  return {
    notify,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
