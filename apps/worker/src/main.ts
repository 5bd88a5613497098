// Worker process: relays the outbox to BullMQ and runs operations, each in an engine process.
import { createLogger } from "@gantry/core";
import { createDb } from "@gantry/db";
import { runEngineProcess } from "@gantry/engine";
import { Queue } from "bullmq";
import { loadConfig } from "./config.ts";
import { startDriftSchedule } from "./drift/schedule-queue.ts";
import { startOutboxRelay } from "./outbox/relay.ts";
import { OPERATIONS_QUEUE } from "./queue/catalog.ts";
import { createRedis } from "./queue/connection.ts";
import { startProcessor } from "./queue/processor.ts";
import { startWebhooks } from "./webhooks/webhook-queue.ts";

const config = loadConfig();
const logger = createLogger({ name: "gantry-worker", level: config.logLevel });
const db = createDb(config.databaseUrl);
const redis = createRedis(config.redisUrl);
const queue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix: config.queuePrefix });

const webhooks = config.webhooks
  ? startWebhooks({ db, redis, prefix: config.queuePrefix, settings: config.webhooks, logger })
  : undefined;
const driftSchedule = await startDriftSchedule({
  db,
  redis,
  prefix: config.queuePrefix,
  settings: config.drift,
  logger,
});

const relay = startOutboxRelay({ db, queue, databaseUrl: config.databaseUrl, logger });
const processor = startProcessor({
  db,
  redis,
  databaseUrl: config.databaseUrl,
  engine: config.engine,
  runEngine: runEngineProcess,
  workerId: config.workerId,
  concurrency: config.concurrency,
  prefix: config.queuePrefix,
  logger,
  notify: webhooks?.notify,
});
await processor.waitUntilReady();
logger.info({ workerId: config.workerId, concurrency: config.concurrency }, "Gantry worker ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  await relay.stop();
  await processor.close();
  await driftSchedule.close();
  await webhooks?.close();
  await queue.close();
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
