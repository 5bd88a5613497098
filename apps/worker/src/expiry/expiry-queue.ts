// Drives the expiry of ephemeral stacks with one BullMQ job scheduler, as the drift schedule does
// (drift/schedule-queue.ts): every worker upserts the same scheduler, so there is one tick however
// many workers run, and whichever worker takes it runs expiry.ts.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { EXPIRY_QUEUE } from "../queue/catalog.ts";
import { type ExpirySettings, expireDueStacks } from "./expiry.ts";

export const EXPIRY_TICK_SCHEDULER = "expiry-tick";

export async function startExpirySchedule(deps: {
  db: Pick<Db, "$transaction">;
  redis: Redis;
  prefix: string;
  settings: ExpirySettings & { tickSeconds: number };
  logger: Logger;
}): Promise<{ close: () => Promise<void> }> {
  const queue = new Queue(EXPIRY_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  await queue.upsertJobScheduler(
    EXPIRY_TICK_SCHEDULER,
    { every: deps.settings.tickSeconds * 1000 },
    { name: "expiry.tick", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    EXPIRY_QUEUE,
    async () => {
      const tick = await expireDueStacks(deps.db, deps.settings);
      if (tick.warned + tick.destroyed + tick.blocked > 0) deps.logger.info(tick, "expiry tick");
    },
    { connection: deps.redis, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on("failed", (_job, err) => deps.logger.error({ err }, "expiry tick failed"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
