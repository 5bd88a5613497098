// Worker process: relays the outbox to BullMQ, runs operations (each in an engine process),
// recovers the operations of workers that died, and stops gracefully on SIGTERM.
import { CANCEL_CHANNEL, createLogger } from "@gantry/core";
import { startMetricsServer } from "@gantry/core/metrics";
import { createDb, listen } from "@gantry/db";
import { createWarmEngine, runEngineProcess } from "@gantry/engine";
import { Queue } from "bullmq";
import { startApprovalExpiry } from "./approvals/approval-expiry.ts";
import { loadConfig } from "./config.ts";
import { startDriftSchedule } from "./drift/schedule-queue.ts";
import { startExpirySchedule } from "./expiry/expiry-queue.ts";
import { createWorkerMetrics } from "./metrics/worker-metrics.ts";
import { createRunningOperations } from "./operations/running-operations.ts";
import { redispatchNow } from "./outbox/redispatch.ts";
import { startOutboxRelay } from "./outbox/relay.ts";
import { OPERATIONS_QUEUE } from "./queue/catalog.ts";
import { createRedis } from "./queue/connection.ts";
import { promoteNext, startProcessor } from "./queue/processor.ts";
import { type RecoveryDeps, recoverRun } from "./recovery/recover-run.ts";
import { startRecoverySweeper } from "./recovery/sweeper.ts";
import { startRolloutSchedule } from "./rollouts/rollout-queue.ts";
import { startWebhooks } from "./webhooks/webhook-queue.ts";

const config = loadConfig();
const logger = createLogger({ name: "gantry-worker", level: config.logLevel }).child({
  workerId: config.workerId,
});
const db = createDb(config.databaseUrl);
const redis = createRedis(config.redisUrl);
const queueRedis = createRedis(config.redisUrl, { failFast: true });
const queue = new Queue(OPERATIONS_QUEUE, { connection: queueRedis, prefix: config.queuePrefix });
queue.on("error", (err) => logger.warn({ err }, "queue connection error"));
const running = createRunningOperations();
const metrics = createWorkerMetrics({
  queue,
  onError: (err) => logger.warn({ err }, "metrics: could not read the operations queue"),
});

const webhooks = config.webhooks
  ? startWebhooks({
      db,
      databaseUrl: config.databaseUrl,
      redis,
      queueRedis,
      prefix: config.queuePrefix,
      settings: config.webhooks,
      logger,
    })
  : undefined;
const warmEngine = config.warmEngine ? createWarmEngine(config.concurrency) : undefined;
const engineDeps = {
  db,
  engine: config.engine,
  runEngine: warmEngine?.run ?? runEngineProcess,
  storeEvents: config.storeEvents,
};
// The next operation of a stack a run or a recovery just left starts now, not after its pause.
const promote = (stackId: string) => void promoteNext({ db, queue, logger }, stackId);
const recovery: RecoveryDeps = {
  ...engineDeps,
  databaseUrl: config.databaseUrl,
  workerId: config.workerId,
  leaseMs: config.leaseMs,
  retry: config.retry,
  running,
  webhooks: Boolean(config.webhooks),
  logger,
  onStackFree: promote,
};

const relay = startOutboxRelay({ db, queue, databaseUrl: config.databaseUrl, logger });
const cancels = listen(
  config.databaseUrl,
  CANCEL_CHANNEL,
  (operationId) => running.stop(operationId, "cancel"),
  logger,
);
const processor = startProcessor({
  ...recovery,
  redis,
  queue,
  concurrency: config.concurrency,
  prefix: config.queuePrefix,
  approvalTtlMs: config.approvalTtlMs,
  metrics: metrics.operations,
  recoverLostRun: async (run) => (await recoverRun(recovery, run, { ownRun: true })) === "requeued",
});
const sweeper = startRecoverySweeper({
  ...recovery,
  intervalMs: config.recoveryIntervalMs,
  onRequeued: (operationId) =>
    void redispatchNow({ db, queue }, operationId).catch((err) =>
      logger.warn({ err, operationId }, "could not queue a recovered operation; the re-dispatch sweep will"),
    ),
});
const approvalExpiry = startApprovalExpiry({ db, intervalMs: config.recoveryIntervalMs, logger });
// Recovery and the relay need only Postgres: the schedule (on Redis) starts after them, so a worker
// started while Redis is down still recovers its dead peers' operations.
const driftSchedule = await startDriftSchedule({
  db,
  redis,
  prefix: config.queuePrefix,
  settings: config.drift,
  logger,
});
const expirySchedule = await startExpirySchedule({
  db,
  redis,
  prefix: config.queuePrefix,
  settings: config.expiry,
  logger,
});
const rolloutSchedule = await startRolloutSchedule({
  db,
  redis,
  prefix: config.queuePrefix,
  tickSeconds: config.rolloutTickSeconds,
  logger,
});
await processor.waitUntilReady();
const metricsServer = config.metrics
  ? await startMetricsServer(metrics.registry, {
      ...config.metrics,
      onError: (err) => logger.warn({ err }, "metrics could not be collected"),
    })
  : undefined;
if (metricsServer) logger.info({ port: metricsServer.port }, "worker metrics served on /metrics");
logger.info({ concurrency: config.concurrency }, "Gantry worker ready");

/** After the grace period, how long cancelled runs get to stop before the process exits anyway. */
const FORCED_EXIT_AFTER_GRACE_MS = 60_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, running: running.ids(), graceMs: config.shutdownGraceMs }, "worker stopping");
  // No new work: the relay and the sweeper stop, and the processor takes no further jobs.
  await Promise.all([relay.stop(), sweeper.stop(), approvalExpiry.stop()]);
  const grace = setTimeout(() => {
    logger.warn({ running: running.ids() }, "grace period over; cancelling the operations still running");
    running.stopAll("shutdown");
  }, config.shutdownGraceMs);
  // Last resort: a shutdown that cannot complete (Redis unreachable, an engine that ignores its
  // SIGINT) still ends; the operations left running are recovered by the next worker (recovery/).
  setTimeout(() => {
    logger.error({ running: running.ids() }, "shutdown did not complete; exiting");
    process.exit(1);
  }, config.shutdownGraceMs + FORCED_EXIT_AFTER_GRACE_MS).unref();
  // Resolves once every running job has ended: finished in time, or cancelled after the grace.
  await processor.close();
  clearTimeout(grace);
  warmEngine?.close();
  await cancels.stop();
  await metricsServer?.close();
  await driftSchedule.close();
  await expirySchedule.close();
  await rolloutSchedule.close();
  await webhooks?.close();
  await queue.close();
  redis.disconnect();
  queueRedis.disconnect();
  await db.$disconnect();
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
