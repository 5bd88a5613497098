// The worker's metrics registry: its runs, the operations queue, and prom-client's process metrics.
import { collectDefaultMetrics, Registry } from "@gantry/core/metrics";
import type { Queue } from "bullmq";
import { registerOperationMetrics } from "./operation-metrics.ts";
import { registerQueueMetrics } from "./queue-metrics.ts";

/** How long one read of the queue serves scrapes. */
const QUEUE_CACHE_MS = 5_000;

export function createWorkerMetrics(deps: {
  queue: Pick<Queue, "getJobCounts" | "getJobs">;
  onError: (err: unknown) => void;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "gantry_worker_" });
  registerQueueMetrics(registry, { ...deps, cacheMs: QUEUE_CACHE_MS });
  return { registry, operations: registerOperationMetrics(registry) };
}
