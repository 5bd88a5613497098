// Drives the drift schedule with one BullMQ job scheduler: every tick, one job (whichever worker
// process takes it) queues the checks that are due (schedule.ts). Every worker upserts the same
// scheduler, so there is one tick however many workers run.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { DRIFT_QUEUE } from "../queue/catalog.ts";
import { type DriftScheduleSettings, enqueueDueDriftChecks } from "./schedule.ts";

export const DRIFT_TICK_SCHEDULER = "drift-tick";

export async function startDriftSchedule(deps: {
  db: Pick<Db, "$transaction">;
  redis: Redis;
  prefix: string;
  settings: DriftScheduleSettings & { tickSeconds: number };
  logger: Logger;
}): Promise<{ close: () => Promise<void> }> {
  const queue = new Queue(DRIFT_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  await queue.upsertJobScheduler(
    DRIFT_TICK_SCHEDULER,
    { every: deps.settings.tickSeconds * 1000 },
    { name: "drift.tick", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    DRIFT_QUEUE,
    async () => {
      const result = await enqueueDueDriftChecks(deps.db, deps.settings);
      if (result.queued + result.phased + result.skipped > 0) deps.logger.info(result, "drift schedule tick");
    },
    { connection: deps.redis, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on("failed", (_job, err) => deps.logger.error({ err }, "drift schedule tick failed"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
