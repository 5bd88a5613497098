// Drift checks per minute for N pg-database stacks with one worker process: the real API and
// worker on a throwaway database, N stacks created (and provisioned by the engine), then one
// drift check requested on each at once; the rate is N over the time from the first request to
// the last check finished. Everything is destroyed afterwards.
//   node --import tsx bench/drift.ts [--stacks 100] [--concurrency 2]
// (after `set -a; . .data/env; set +a`; issue 6's `npm run bench` can call this.)
import { parseArgs } from "node:util";
import { launchGantry } from "../tests/e2e/launch.ts";

const { values } = parseArgs({
  options: { stacks: { type: "string", default: "100" }, concurrency: { type: "string", default: "2" } },
});
const stacks = Number(values.stacks);
const concurrency = Number(values.concurrency);

const gantry = await launchGantry({
  GANTRY_DRIFT_INTERVAL_SECONDS: "0",
  WORKER_CONCURRENCY: String(concurrency),
});
const base = gantry.baseUrl;
const token = await gantry.token("admin");

// biome-ignore lint/suspicious/noExplicitAny: the bench reads what the API answers
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function allFinished(ids: string[]): Promise<any[]> {
  for (;;) {
    const ops = await Promise.all(ids.map((id) => call("GET", `/v1/operations/${id}`)));
    if (ops.every((op) => ["succeeded", "failed", "cancelled", "interrupted"].includes(op.status)))
      return ops;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const created: { stack: { id: string }; operation: { id: string } }[] = [];
try {
  for (let i = 0; i < stacks; i++) {
    created.push(await call("POST", "/v1/stacks", { kind: "pg-database", name: `bench-${i}`, spec: {} }));
  }
  const ups = await allFinished(created.map((c) => c.operation.id));
  const failedUps = ups.filter((op) => op.status !== "succeeded").length;
  console.log(`${stacks} stacks provisioned (${failedUps} failed)`);

  const start = Date.now();
  // Requested one after the other (each answer takes milliseconds): the API's burst handling is
  // issue 6's API benchmark, not this one.
  const checks = [];
  for (const c of created) {
    checks.push(await call("POST", `/v1/stacks/${c.stack.id}/operations`, { kind: "drift-check" }));
  }
  const done = await allFinished(checks.map((op) => op.id));
  const first = Math.min(...done.map((op) => Date.parse(op.createdAt)));
  const last = Math.max(...done.map((op) => Date.parse(op.finishedAt)));
  const runs = done.map((op) => Date.parse(op.finishedAt) - Date.parse(op.startedAt)).sort((a, b) => a - b);
  const minutes = (last - first) / 60_000;
  console.log(
    JSON.stringify({
      stacks,
      workerConcurrency: concurrency,
      checksSucceeded: done.filter((op) => op.status === "succeeded").length,
      wallSeconds: Math.round((last - first) / 100) / 10,
      checksPerMinute: Math.round((stacks / minutes) * 10) / 10,
      checkSecondsP50: (runs[Math.floor(runs.length / 2)] ?? 0) / 1000,
      checkSecondsMax: (runs.at(-1) ?? 0) / 1000,
      requestedToFinishedSeconds: Math.round((Date.now() - start) / 100) / 10,
    }),
  );
} finally {
  // Whatever happened, the stacks' databases and roles go before the processes do.
  try {
    const destroys = [];
    for (const c of created) destroys.push(await call("DELETE", `/v1/stacks/${c.stack.id}`));
    await allFinished(destroys.map((d) => d.operation.id));
  } finally {
    await gantry.stop();
  }
}
