// The API's metrics: its requests (per process) and the fleet's figures (from Postgres), plus
// prom-client's process metrics (CPU, memory, event loop lag), in one registry.
import { collectDefaultMetrics, Registry } from "@gantry/core/metrics";
import type { FastifyInstance } from "fastify";
import { type FleetMetricsDeps, registerFleetMetrics } from "./fleet-metrics.ts";
import { registerHttpMetrics } from "./http-metrics.ts";

export function createApiMetrics(fleet: FleetMetricsDeps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "gantry_api_" });
  registerFleetMetrics(registry, fleet);
  return {
    registry,
    /** Adds the request hook to an app (buildApp does, before its routes). */
    instrument: (app: FastifyInstance) => registerHttpMetrics(app, registry),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
