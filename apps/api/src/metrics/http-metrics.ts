// Requests by route template and status, with their latency: one onResponse hook, one histogram
// (its _count is the request counter). Labelled by the route's template (`/v1/stacks/:id`), never
// the raw URL, so the series stay few; requests no route matched share one label.
import { Histogram, type Registry } from "@gantry/core/metrics";
import type { FastifyInstance } from "fastify";

/** Seconds; the API answers in milliseconds, a slow database in seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: "gantry_http_request_duration_seconds",
    help: "HTTP requests to the API by method, route template and status, and how long they took",
    labelNames: ["method", "route", "status"] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  // The labelled child per series, found by one string key: prom-client would otherwise hash the
  // label object on every observation (this hook runs on every request).
  const series = new Map<string, { observe(value: number): void }>();
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const key = `${request.method} ${status} ${route}`;
    let child = series.get(key);
    if (!child) {
      child = duration.labels(request.method, route, String(status));
      series.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
