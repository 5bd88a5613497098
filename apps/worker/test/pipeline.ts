// The worker's pipeline as main.ts starts it — outbox relay, queue, processor, on real Postgres and
// Redis — with the engine replaced by the test's own (the tests using this are about what the
// worker does with runs, not what a run does: tests/e2e runs the real engine).
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import type { EngineSettings, runEngineProcess } from "@gantry/engine";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { RetryPolicy } from "../src/operations/outcome.ts";
import { createRunningOperations } from "../src/operations/running-operations.ts";
import { startOutboxRelay } from "../src/outbox/relay.ts";
import { OPERATIONS_QUEUE } from "../src/queue/catalog.ts";
import { startProcessor } from "../src/queue/processor.ts";

/** Settings the replaced engine never reads. */
export const UNUSED_ENGINE: EngineSettings = {
  backendUrl: "file:///nonexistent",
  secretsProvider: "passphrase",
  passphrase: "unused-here",
  pulumiHome: "/nonexistent",
  path: "/nonexistent",
  pgServerUrl: "postgres://unused@127.0.0.1:1/postgres",
};

export interface PipelineOptions {
  db: Db;
  databaseUrl: string;
  redis: Redis;
  prefix: string;
  logger: Logger;
  runEngine: typeof runEngineProcess;
  concurrency: number;
  retry: RetryPolicy;
  workerId: string;
}

/** Starts the pipeline; the function it returns stops it. */
export function startPipeline(options: PipelineOptions): () => Promise<void> {
  const { db, databaseUrl, redis, prefix, logger } = options;
  const queue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix });
  const relay = startOutboxRelay({ db, queue, databaseUrl, logger, sweepIntervalMs: 100 });
  const processor = startProcessor({
    db,
    redis,
    queue,
    databaseUrl,
    engine: UNUSED_ENGINE,
    runEngine: options.runEngine,
    storeEvents: true,
    running: createRunningOperations(),
    leaseMs: 15_000,
    retry: options.retry,
    workerId: options.workerId,
    concurrency: options.concurrency,
    prefix,
    logger,
    webhooks: false,
    approvalTtlMs: 60_000,
    // The test's engine never loses a run.
    recoverLostRun: async () => false,
  });
  return async () => {
    await relay.stop();
    await processor.close();
    await queue.close();
  };
}
