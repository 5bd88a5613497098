// The BullMQ side of the worker: consumes the job catalog and dispatches to handlers.
import type { Logger } from "@gantry/core";
import { DelayedError, type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type RunOperationDeps, runOperation } from "../operations/run-operation.ts";
import { jobs, OPERATIONS_QUEUE } from "./catalog.ts";

/** How often an operation waiting for its dependencies looks again. */
const DEPENDENCY_RECHECK_MS = 2_000;

export function startProcessor(
  deps: RunOperationDeps & { redis: Redis; concurrency: number; prefix: string; logger: Logger },
): Worker {
  const worker = new Worker(
    OPERATIONS_QUEUE,
    async (job: Job, token?: string, signal?: AbortSignal) => {
      if (job.name !== "operation.run") throw new Error(`unknown job "${job.name}"`);
      const { operationId } = jobs["operation.run"].parse(job.data);
      const outcome = await runOperation(deps, operationId, signal);
      if (outcome.state === "waiting") {
        // The operation stays queued; the job comes back after a pause and checks again.
        await job.moveToDelayed(Date.now() + DEPENDENCY_RECHECK_MS, token);
        throw new DelayedError();
      }
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      // A run can take an hour; the lock is renewed while the worker lives. A stalled (dead) worker's
      // job is not handed out again blindly: the operation row decides what happens next.
      lockDuration: 60_000,
      maxStalledCount: 0,
    },
  );
  worker.on("failed", (job, err) => deps.logger.error({ err, jobId: job?.id }, "job failed"));
  return worker;
}
