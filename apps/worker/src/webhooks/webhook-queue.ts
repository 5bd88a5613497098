// Webhook deliveries through BullMQ: one job per event and receiver (webhook-relay.ts adds them
// from the outbox), so a receiver that is down is retried on its own, with exponential backoff,
// without holding up the others.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { jobs, WEBHOOKS_QUEUE } from "../queue/catalog.ts";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";
import { webhookBody } from "./webhook-body.ts";
import { startWebhookRelay } from "./webhook-relay.ts";

export interface WebhookSettings {
  urls: string[];
  secret: string;
}

const TIMEOUT_MS = 10_000;

export function startWebhooks(deps: {
  db: Pick<Db, "operation" | "stack" | "driftReport" | "rollout" | "team" | "webhookOutboxEntry">;
  databaseUrl: string;
  /** The BullMQ Worker's connection (reconnects forever). */
  redis: Redis;
  /** The relay's queue connection: fails fast while Redis is down (queue/connection.ts). */
  queueRedis: Redis;
  prefix: string;
  settings: WebhookSettings;
  logger: Logger;
}): { close: () => Promise<void> } {
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
  const relay = startWebhookRelay({
    db: deps.db,
    queue,
    receivers: deps.settings.urls.length,
    databaseUrl: deps.databaseUrl,
    logger: deps.logger,
  });
  return {
    async close() {
      await relay.stop();
      await worker.close();
      await queue.close();
    },
  };
}
