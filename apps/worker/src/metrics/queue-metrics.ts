// The operations queue in Redis, read when Prometheus scrapes (at most once per cache period):
// jobs per state, and how long the oldest waiting job has waited.
import { type Registry, scrapedGauges } from "@gantry/core/metrics";
import type { Queue } from "bullmq";

const STATES = ["waiting", "prioritized", "active", "delayed", "failed"] as const;

export function registerQueueMetrics(
  registry: Registry,
  deps: { queue: Pick<Queue, "getJobCounts" | "getJobs">; cacheMs: number; onError: (err: unknown) => void },
): void {
  const scraped = scrapedGauges(registry, {
    read: async () => {
      const [counts, oldest] = await Promise.all([
        deps.queue.getJobCounts(...STATES),
        // Oldest first: BullMQ lists waiting jobs newest first unless asked ascending.
        deps.queue.getJobs(["waiting", "prioritized"], 0, 0, true),
      ]);
      const first = oldest[0]?.timestamp;
      return { counts, oldestAgeSeconds: first ? Math.max(0, Date.now() - first) / 1000 : 0 };
    },
    cacheMs: deps.cacheMs,
    onError: deps.onError,
    ok: {
      name: "gantry_queue_read_ok",
      help: "1 when the last read of the operations queue from Redis succeeded, else 0",
    },
  });
  const jobs = scraped.gauge({
    name: "gantry_queue_jobs",
    help: "Jobs of the operations queue (Redis) by state",
    labelNames: ["state"] as const,
  });
  const age = scraped.gauge({
    name: "gantry_queue_oldest_waiting_age_seconds",
    help: "How long the oldest job waiting in the operations queue has waited (0 when none)",
  });
  scraped.fill((figures) => {
    for (const state of STATES) jobs.set({ state }, figures.counts[state] ?? 0);
    age.set(figures.oldestAgeSeconds);
  });
}
