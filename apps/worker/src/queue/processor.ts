// The BullMQ side of the worker: consumes the job catalog and dispatches to handlers. Postgres is
// the truth about every operation; a job is only the nudge to look at one, so delivering a job
// again (after a stall, or a re-dispatch) is harmless: the operation row decides what happens.
import type { Logger } from "@gantry/core";
import { isFirstInLine, nextInLine } from "@gantry/db";
import { DelayedError, type Job, type Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type RunOperationDeps, runOperation } from "../operations/run-operation.ts";
import { heldStackLocks } from "../operations/stack-lock.ts";
import { jobs, OPERATIONS_QUEUE } from "./catalog.ts";

export interface ProcessorDeps extends RunOperationDeps {
  redis: Redis;
  queue: Pick<Queue, "getJob">;
  concurrency: number;
  prefix: string;
  logger: Logger;
}

export function startProcessor(deps: ProcessorDeps): Worker {
  const worker = new Worker(
    OPERATIONS_QUEUE,
    async (job: Job, token?: string) => {
      if (job.name !== "operation.run") throw new Error(`unknown job "${job.name}"`);
      const { operationId } = jobs["operation.run"].parse(job.data);
      const outcome = await runOperation(deps, operationId);
      if (outcome.state === "later") {
        deps.logger.debug({ operationId, ...outcome }, "operation waits");
        // The operation stays queued; its job comes back after the pause.
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        // The stack may have been freed while this job was still active, when its holder's
        // promotion found no paused job to promote: looked at again now that the job is paused.
        // Whichever frees the stack later sees the job paused and promotes it itself.
        if (outcome.stackId) void promoteNext(deps, outcome.stackId, { onlyIfFree: true });
        throw new DelayedError();
      }
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      // A run can take an hour: the job's lock is renewed every lockDuration/2 while the worker
      // lives. A dead worker's jobs are seen as stalled and handed out again, which is safe (above).
      lockDuration: 30_000,
      stalledInterval: 15_000,
      maxStalledCount: 1_000_000,
    },
  );
  worker.on("failed", (job, err) => deps.logger.error({ err, jobId: job?.id }, "job failed"));
  // Redis unreachable: the worker reconnects by itself; said once per outage, not per attempt.
  let connected = true;
  worker.on("error", (err) => {
    if (connected) deps.logger.warn({ err }, "lost the connection to Redis; reconnecting");
    connected = false;
  });
  worker.on("ready", () => {
    if (!connected) deps.logger.info("connected to Redis again");
    connected = true;
  });
  return worker;
}

/**
 * The next operation of a stack whose run just ended starts now instead of after its pause.
 * `onlyIfFree`: only if nothing runs on the stack and no session holds its lock (a holder
 * promotes the next itself once it lets go).
 */
export async function promoteNext(
  deps: Pick<ProcessorDeps, "db" | "queue" | "logger">,
  stackId: string,
  options: { onlyIfFree?: boolean } = {},
): Promise<void> {
  try {
    const next = await nextInLine(deps.db, stackId);
    if (next && options.onlyIfFree && !(await stackIsFree(deps.db, stackId, next))) return;
    const job = next ? await deps.queue.getJob(next) : undefined;
    if (job && (await job.isDelayed())) await job.promote();
  } catch (err) {
    // Only a shortcut: the operation's own pause still ends, and it runs then.
    deps.logger.debug({ err, stackId }, "could not promote the next operation");
  }
}

async function stackIsFree(db: ProcessorDeps["db"], stackId: string, next: string): Promise<boolean> {
  if (!(await isFirstInLine(db, next))) return false; // something runs on the stack
  return !(await heldStackLocks(db, [stackId])).has(stackId);
}
