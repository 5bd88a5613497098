// Prometheus metrics end to end: the real API and worker with their metrics ports, a real
// pg-database `up` and drift check through the engine, then both endpoints scraped and parsed by
// an independent text-format parser, asserting the counters, histograms and gauges moved.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.ts";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { freePort } from "./processes.ts";
import { type Scrape, scrape } from "./prometheus-scrape.ts";

let gantry: Gantry;
let apiMetrics: string;
let workerMetrics: string;

beforeAll(async () => {
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  apiMetrics = `http://127.0.0.1:${apiPort}/metrics`;
  workerMetrics = `http://127.0.0.1:${workerPort}/metrics`;
  gantry = await startGantry({ API_METRICS_PORT: String(apiPort), WORKER_METRICS_PORT: String(workerPort) });
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
});

/** Scrapes until `check` holds (the fleet's and the queue's figures are cached for 5 s). */
const scrapeUntil = (url: string, check: (s: Scrape) => boolean, what: string) =>
  waitUntil(
    async () => {
      const s = await scrape(url);
      return check(s) ? s : undefined;
    },
    { timeout: 30_000, interval: 200, what },
  );

describe("metrics", () => {
  const name = `metrics-${randomBytes(3).toString("hex")}`;
  let stackId: string;

  it("serve both processes' figures on their own ports, without a token, and nothing else there", async () => {
    const [api, worker] = await Promise.all([scrape(apiMetrics), scrape(workerMetrics)]);
    expect(api.value("gantry_fleet_read_ok")).toBe(1);
    expect(api.families.get("gantry_api_process_cpu_user_seconds_total")?.type).toBe("COUNTER");
    expect(worker.families.get("gantry_worker_process_resident_memory_bytes")?.type).toBe("GAUGE");
    expect(api.families.get("gantry_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(worker.value("gantry_operations_finished_total")).toBe(0);
    expect((await fetch(apiMetrics.replace("/metrics", "/"))).status).toBe(404);
    // The public port does not serve them (an unknown route there is a 404 like any other).
    expect((await fetch(`${gantry.baseUrl}/metrics`)).status).toBe(404);
  });

  it("count a pg-database up: dispatch, run and outcome in the worker, requests by route template in the API", async () => {
    const created = await gantry.call("POST", "/v1/stacks", { kind: "pg-database", name, spec: {} });
    expect(created.status).toBe(202);
    stackId = created.body.stack.id;
    await expectSucceeded(gantry, created.body.operation.id);
    expect((await gantry.call("GET", `/v1/stacks/${stackId}`)).status).toBe(200);
    expect((await gantry.call("GET", `/v1/stacks/${randomUUID()}`)).status).toBe(404);
    expect((await gantry.call("GET", "/v1/no-such-route")).status).toBe(404);

    const worker = await scrape(workerMetrics);
    const up = { kind: "up", stack_kind: "pg-database" };
    expect(worker.value("gantry_operations_finished_total", { ...up, status: "succeeded" })).toBe(1);
    expect(worker.value("gantry_operation_dispatch_seconds", up)).toBe(1);
    const run = worker.samples("gantry_operation_run_seconds", { ...up, status: "succeeded" });
    expect(run).toHaveLength(1);
    // An engine run of pg-database takes seconds, never nothing.
    expect(Number(run[0]?.sum)).toBeGreaterThan(0.5);
    expect(Number(run[0]?.buckets?.["+Inf"])).toBe(1);
    expect(worker.value("gantry_queue_read_ok")).toBe(1);
    expect(worker.samples("gantry_queue_jobs").map((s) => s.labels.state)).toEqual(
      expect.arrayContaining(["waiting", "active", "delayed"]),
    );

    const api = await scrape(apiMetrics);
    const requests = (route: string, status: string, method = "GET") =>
      api.value("gantry_http_request_duration_seconds", { method, route, status });
    expect(requests("/v1/stacks", "202", "POST")).toBe(1);
    expect(requests("/v1/stacks/:id", "200")).toBeGreaterThanOrEqual(1);
    expect(requests("/v1/stacks/:id", "404")).toBe(1);
    expect(requests("/v1/operations/:id", "200")).toBeGreaterThanOrEqual(1);
    // This one and the public port's /metrics above.
    expect(requests("unmatched", "404")).toBe(2);
    // Never a raw URL: no label holds an id.
    expect(api.text).not.toContain(stackId);
    expect(api.text).not.toContain(gantry.adminToken);
  });

  it("show stacks by drift status after a drift check", async () => {
    const check = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind: "drift-check" });
    expect(check.status).toBe(202);
    await expectSucceeded(gantry, check.body.operation.id);
    const api = await scrapeUntil(
      apiMetrics,
      (s) => s.value("gantry_stacks_by_drift_status", { drift_status: "in_sync" }) === 1,
      "the stack counted in_sync",
    );
    expect(api.value("gantry_stacks_by_drift_status", { drift_status: "drifted" })).toBe(0);
    const worker = await scrape(workerMetrics);
    expect(
      worker.value("gantry_operations_finished_total", {
        kind: "drift-check",
        stack_kind: "pg-database",
        status: "succeeded",
      }),
    ).toBe(1);
  });

  it("show an operation waiting, its age and the outbox lag while no worker runs", async () => {
    const [worker] = gantry.workers;
    await worker?.stop();
    const refresh = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind: "refresh" });
    expect(refresh.status).toBe(202);
    // Nobody relays the outbox or runs the operation: both wait, and their age grows.
    const first = await scrapeUntil(
      apiMetrics,
      (s) =>
        s.value("gantry_operations_active", { kind: "refresh", status: "queued" }) === 1 &&
        s.value("gantry_outbox_pending", { outbox: "operations" }) === 1,
      "the refresh counted as queued and its outbox row as pending",
    );
    const age = first.value("gantry_operations_oldest_age_seconds", { kind: "refresh", status: "queued" });
    const lag = first.value("gantry_outbox_lag_seconds", { outbox: "operations" });
    expect(age).toBeGreaterThanOrEqual(0);
    await scrapeUntil(
      apiMetrics,
      (s) =>
        s.value("gantry_operations_oldest_age_seconds", { kind: "refresh", status: "queued" }) > age &&
        s.value("gantry_outbox_lag_seconds", { outbox: "operations" }) > lag,
      "the queue age and the outbox lag to grow",
    );

    // A worker again: the row is relayed, the refresh runs, and the gauges go back to nothing.
    await gantry.startWorker();
    await expectSucceeded(gantry, refresh.body.operation.id);
    await scrapeUntil(
      apiMetrics,
      (s) =>
        s.value("gantry_operations_active", { kind: "refresh", status: "queued" }) === 0 &&
        s.value("gantry_outbox_pending", { outbox: "operations" }) === 0 &&
        s.value("gantry_outbox_lag_seconds", { outbox: "operations" }) === 0,
      "the queue and the outbox empty again",
    );
  });
});
