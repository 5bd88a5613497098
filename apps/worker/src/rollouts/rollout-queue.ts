// Ticks the rollout driver with one BullMQ job scheduler, as the drift and expiry schedules do:
// every worker upserts the same scheduler, so there is one tick however many workers run.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { ROLLOUTS_QUEUE } from "../queue/catalog.ts";
import { advanceRollouts } from "./rollout-driver.ts";

export const ROLLOUT_TICK_SCHEDULER = "rollout-tick";

export async function startRolloutSchedule(deps: {
  db: Pick<Db, "rollout" | "$transaction">;
  redis: Redis;
  prefix: string;
  tickSeconds: number;
  logger: Logger;
}): Promise<{ close: () => Promise<void> }> {
  const queue = new Queue(ROLLOUTS_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  await queue.upsertJobScheduler(
    ROLLOUT_TICK_SCHEDULER,
    { every: deps.tickSeconds * 1000 },
    { name: "rollout.tick", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(ROLLOUTS_QUEUE, () => advanceRollouts(deps.db), {
    connection: deps.redis,
    prefix: deps.prefix,
    concurrency: 1,
  });
  worker.on("failed", (_job, err) => deps.logger.error({ err }, "rollout tick failed"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
