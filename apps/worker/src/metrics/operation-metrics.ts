// What the worker's runs tell Prometheus: how long an accepted operation waited for a worker,
// how long its engine ran, and how it ended (per process: Prometheus sums the workers).
import { Counter, Histogram, LONG_BUCKETS, type Registry } from "@gantry/core/metrics";

export interface OperationMetrics {
  /** A worker took the operation; its first run only, so retries' backoff is not dispatch latency. */
  claimed(op: { kind: string; stackKind: string; attempts: number; acceptedAt: Date }): void;
  /** A run ended with this verdict (`queued` when it will be retried). */
  ran(op: { kind: string; stackKind: string; status: string; seconds: number }): void;
}

export function registerOperationMetrics(registry: Registry): OperationMetrics {
  const registers = [registry];
  const dispatch = new Histogram({
    name: "gantry_operation_dispatch_seconds",
    help: "From an operation accepted by the API to a worker claiming it (first run)",
    labelNames: ["kind", "stack_kind"] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const run = new Histogram({
    name: "gantry_operation_run_seconds",
    help: "How long operations' engine runs took, by how the run ended (queued: to be retried)",
    labelNames: ["kind", "stack_kind", "status"] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const finished = new Counter({
    name: "gantry_operations_finished_total",
    help: "Operations this worker ran to their final status, by operation kind, stack kind and status",
    labelNames: ["kind", "stack_kind", "status"] as const,
    registers,
  });
  return {
    claimed: ({ kind, stackKind, attempts, acceptedAt }) => {
      if (attempts !== 1) return;
      dispatch.observe(
        { kind, stack_kind: stackKind },
        Math.max(0, Date.now() - acceptedAt.getTime()) / 1000,
      );
    },
    ran: ({ kind, stackKind, status, seconds }) => {
      run.observe({ kind, stack_kind: stackKind, status }, seconds);
      if (status !== "queued") finished.inc({ kind, stack_kind: stackKind, status });
    },
  };
}
