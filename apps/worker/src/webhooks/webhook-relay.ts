// Hands webhook notifications from their outbox (written with what they announce) to BullMQ: one
// delivery job per receiver, then the row goes. Woken by NOTIFY, with a sweep as backstop, so a
// Redis outage only delays them. A crash between the jobs and the delete re-adds jobs of the same
// ids, which BullMQ ignores while it keeps them: deliveries are at least once, as webhooks are.
import type { Logger } from "@gantry/core";
import { type Db, listen, WEBHOOK_OUTBOX_CHANNEL } from "@gantry/db";
import type { Queue } from "bullmq";
import { WebhookNotification } from "./webhook-events.ts";

/** Attempts per delivery: 1 s, 2 s, 4 s … about 17 minutes in all before it is given up. */
const ATTEMPTS = 10;
const BATCH = 100;

export function startWebhookRelay(deps: {
  db: Pick<Db, "webhookOutboxEntry">;
  queue: Pick<Queue, "addBulk">;
  receivers: number;
  databaseUrl: string;
  logger: Logger;
  sweepIntervalMs?: number;
}): { stop: () => Promise<void> } {
  let draining: Promise<void> | undefined;
  let again = false;

  const drainOnce = async () => {
    do {
      again = false;
      const rows = await deps.db.webhookOutboxEntry.findMany({ orderBy: { id: "asc" }, take: BATCH });
      const jobs = rows.flatMap((row) => {
        const parsed = WebhookNotification.safeParse(row.notification);
        if (!parsed.success) {
          deps.logger.error({ id: row.id.toString() }, "dropping a webhook notification of unknown shape");
          return [];
        }
        return Array.from({ length: deps.receivers }, (_, receiver) => ({
          name: "webhook.deliver",
          data: { notification: parsed.data, receiver, occurredAt: row.occurredAt.toISOString() },
          opts: {
            jobId: `webhook-${row.id}-${receiver}`,
            attempts: ATTEMPTS,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        }));
      });
      if (jobs.length > 0) await deps.queue.addBulk(jobs);
      await deps.db.webhookOutboxEntry.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      if (rows.length === BATCH) again = true;
    } while (again);
  };
  const drain = () => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = drainOnce()
      // Redis or Postgres unavailable: the rows stay, and the next wake-up or sweep retries them.
      .catch((err) => deps.logger.warn({ err }, "could not hand webhook notifications over; will retry"))
      .finally(() => {
        draining = undefined;
      });
    return draining;
  };

  const listener = listen(deps.databaseUrl, WEBHOOK_OUTBOX_CHANNEL, () => void drain(), deps.logger);
  void drain();
  const timer = setInterval(() => void drain(), deps.sweepIntervalMs ?? 2000);
  return {
    async stop() {
      clearInterval(timer);
      await listener.stop();
      await draining;
    },
  };
}
