// The BullMQ side of the worker: consumes the job catalog and dispatches to handlers.
import type { Logger } from "@gantry/core";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type RunOperationDeps, runOperation } from "../operations/run-operation.ts";
import { jobs, OPERATIONS_QUEUE } from "./catalog.ts";

export function startProcessor(
  deps: RunOperationDeps & { redis: Redis; concurrency: number; prefix: string; logger: Logger },
): Worker {
  const worker = new Worker(
    OPERATIONS_QUEUE,
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      if (job.name !== "operation.run") throw new Error(`unknown job "${job.name}"`);
      const { operationId } = jobs["operation.run"].parse(job.data);
      await runOperation(deps, operationId, signal);
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
