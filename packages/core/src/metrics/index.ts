// Prometheus metrics shared by the API and the worker (a subpath of @gantry/core, so processes
// that export none, such as the engine, never load prom-client).
export { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
export { cachedRead } from "./cached-read.ts";
export { type MetricsServer, startMetricsServer } from "./metrics-server.ts";
export { type ScrapedGauges, type ScrapedSource, scrapedGauges } from "./scraped-gauges.ts";

/** Buckets (seconds) for engine runs and dispatch, which take from milliseconds to an hour. */
export const LONG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
