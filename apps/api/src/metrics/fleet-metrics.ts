// Fleet-wide gauges read from Postgres when Prometheus scrapes (at most once per cache period,
// whichever API replica is scraped): operations waiting and running, stacks by drift status, and
// the outboxes' lag. A failed read leaves the last values and sets gantry_fleet_read_ok to 0.

import { DRIFT_STATUSES, OPERATION_KINDS } from "@gantry/core";
import { type Registry, scrapedGauges } from "@gantry/core/metrics";
import type { FleetFigures } from "@gantry/db";

const ACTIVE_STATUSES = ["queued", "running"] as const;

export interface FleetMetricsDeps {
  readFleetFigures: () => Promise<FleetFigures>;
  /** How long one read serves scrapes (ms). */
  cacheMs: number;
  onError: (err: unknown) => void;
}

export function registerFleetMetrics(registry: Registry, deps: FleetMetricsDeps): void {
  const scraped = scrapedGauges(registry, {
    read: deps.readFleetFigures,
    cacheMs: deps.cacheMs,
    onError: deps.onError,
    ok: {
      name: "gantry_fleet_read_ok",
      help: "1 when the last read of the fleet's figures from Postgres succeeded, else 0",
    },
  });
  const operations = scraped.gauge({
    name: "gantry_operations_active",
    help: "Operations queued or running, by operation kind and status",
    labelNames: ["kind", "status"] as const,
  });
  const oldest = scraped.gauge({
    name: "gantry_operations_oldest_age_seconds",
    help: "Age of the oldest operation queued or running, by operation kind and status (queue age)",
    labelNames: ["kind", "status"] as const,
  });
  const drift = scraped.gauge({
    name: "gantry_stacks_by_drift_status",
    help: "Stacks that exist, by drift status (unknown, in_sync, drifted, error)",
    labelNames: ["drift_status"] as const,
  });
  const pending = scraped.gauge({
    name: "gantry_outbox_pending",
    help: "Outbox rows not yet handed on (operations to Redis, webhook notifications to delivery jobs)",
    labelNames: ["outbox"] as const,
  });
  const lag = scraped.gauge({
    name: "gantry_outbox_lag_seconds",
    help: "Age of the oldest outbox row not yet handed on (0 when none)",
    labelNames: ["outbox"] as const,
  });
  scraped.fill((figures) => {
    // Every series always present (0 when none), so alerts see 0 rather than nothing.
    for (const kind of OPERATION_KINDS)
      for (const status of ACTIVE_STATUSES) {
        const row = figures.activeOperations.find((r) => r.kind === kind && r.status === status);
        operations.set({ kind, status }, row?.count ?? 0);
        oldest.set({ kind, status }, row?.oldestAgeSeconds ?? 0);
      }
    for (const status of DRIFT_STATUSES)
      drift.set({ drift_status: status }, figures.driftStatuses.find((r) => r.status === status)?.count ?? 0);
    for (const [name, backlog] of [
      ["operations", figures.outbox],
      ["webhooks", figures.webhookOutbox],
    ] as const) {
      pending.set({ outbox: name }, backlog.pending);
      lag.set({ outbox: name }, backlog.oldestAgeSeconds);
    }
  });
}
