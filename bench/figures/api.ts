// Figure 3: the API alone. autocannon from the bench process against the real API process on
// loopback, with the worker stopped (POSTs only write rows), and 1,000 stacks in the database;
// baseline: Fastify's hello world in its own process, loaded in the same rounds.
import type pg from "pg";
import { startProcess } from "../../tests/e2e/processes.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { type LoadResult, load } from "../support/load.ts";
import { type StartCost, startCost } from "../support/start-time.ts";
import { formatSpread, spread } from "../support/stats.ts";

const STACKS = 1_000;
const CONNECTIONS = 10;
type Target =
  | "hello world (baseline)"
  | "floor: GET /healthz"
  | "floor: GET /v1/policy"
  | "floor: the list page from memory (bare Fastify)"
  | "GET /v1/stacks/:id"
  | "GET /v1/stacks"
  | "POST /v1/stacks";

export const apiThroughput: Figure = {
  id: "api",
  title: "3. API requests/s and latency (autocannon, loopback)",
  async run({ quick, log }) {
    const rounds = quick ? 2 : 5;
    const seconds = quick ? 3 : 10;
    const bench = await startBenchGantry();
    const hello = await startProcess("bench/baseline/hello-server.ts", {}, /listening/);
    // The API is measured alone: nothing takes the created stacks' operations.
    await Promise.all(bench.gantry.workers.map((worker) => worker.stop()));
    try {
      const stackId = await insertStacks(bench.db, STACKS);
      const auth = { authorization: `Bearer ${bench.gantry.operatorToken}` };
      const targets: Record<Target, () => Promise<LoadResult>> = {
        "hello world (baseline)": () =>
          load({ url: helloUrl(hello.output()), seconds, connections: CONNECTIONS }),
        // Where the API's own floors are, in the same rounds: its hooks alone (request line,
        // metrics, security headers, request id; no token, no database), then with the token
        // check and the rate limit (an admin route answered from memory).
        "floor: GET /healthz": () =>
          load({ url: `${bench.gantry.baseUrl}/healthz`, seconds, connections: CONNECTIONS }),
        "floor: GET /v1/policy": () =>
          load({
            url: `${bench.gantry.baseUrl}/v1/policy`,
            headers: { authorization: `Bearer ${bench.gantry.adminToken}` },
            seconds,
            connections: CONNECTIONS,
          }),
        // The page GET /v1/stacks answers now (the POSTs' stacks are on it once they ran), answered
        // from memory by the hello-world process: the answer's own floor (its JSON and its bytes).
        "floor: the list page from memory (bare Fastify)": async () => {
          const page = await fetch(`${bench.gantry.baseUrl}/v1/stacks`, { headers: auth });
          if (!page.ok) throw new Error(`GET /v1/stacks answered ${page.status}`);
          const kept = await fetch(`${helloUrl(hello.output())}/page`, {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: await page.text(),
          });
          if (!kept.ok) throw new Error(`the hello server did not keep the page: ${kept.status}`);
          return load({ url: `${helloUrl(hello.output())}/page`, seconds, connections: CONNECTIONS });
        },
        "GET /v1/stacks/:id": () =>
          load({
            url: `${bench.gantry.baseUrl}/v1/stacks/${stackId}`,
            headers: auth,
            seconds,
            connections: CONNECTIONS,
          }),
        "GET /v1/stacks": () =>
          load({
            url: `${bench.gantry.baseUrl}/v1/stacks`,
            headers: auth,
            seconds,
            connections: CONNECTIONS,
          }),
        "POST /v1/stacks": () =>
          load({
            url: `${bench.gantry.baseUrl}/v1/stacks`,
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            // A name prefix per load: the counter restarts with each autocannon process.
            body: JSON.stringify({ kind: "pg-database", name: `${bench.name("post")}-{n}`, spec: {} }),
            seconds,
            connections: CONNECTIONS,
          }),
      };
      const names = Object.keys(targets) as Target[];
      const measured: Record<Target, LoadResult[]> = Object.fromEntries(names.map((n) => [n, []])) as never;
      for (let round = 0; round < rounds; round++) {
        // Each round starts with a different target, so none is always measured on a cold machine.
        const order = names.map((_, i) => names[(i + round) % names.length] as Target);
        for (const name of order) measured[name].push(await targets[name]());
        log(
          `api round ${round + 1}/${rounds}: ` +
            names.map((n) => `${n} ${measured[n].at(-1)?.requestsPerSecond.toFixed(0)} req/s`).join(", "),
        );
      }
      // Start-up: spawn to "listening", and resident memory then, alternating with hello world.
      const starts: { api: StartCost[]; hello: StartCost[] } = { api: [], hello: [] };
      for (let round = 0; round < rounds; round++) {
        starts.api.push(
          await startCost("apps/api/src/main.ts", { ...bench.gantry.env, PORT: "0" }, /listening on/),
        );
        starts.hello.push(await startCost("bench/baseline/hello-server.ts", {}, /listening/));
      }
      log(
        `api start: ${starts.api.map((s) => `${s.ms.toFixed(0)} ms ${s.rssMiB.toFixed(0)} MiB`).join(", ")}`,
      );

      const baseline = measured["hello world (baseline)"];
      const rows = names.map((name) => {
        const results = measured[name];
        const ratio = spread(
          results.map((r, i) => r.requestsPerSecond / (baseline[i]?.requestsPerSecond ?? 1)),
        );
        return {
          name,
          rps: spread(results.map((r) => r.requestsPerSecond)),
          p50: spread(results.map((r) => r.p50Ms)),
          p99: spread(results.map((r) => r.p99Ms)),
          ratio,
          failures: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
        };
      });
      return {
        headline: rows
          .filter((r) => r.name !== "hello world (baseline)" && !r.name.startsWith("floor:"))
          .map(
            (r) =>
              `${r.name} ${r.rps.median.toFixed(0)} req/s (${(r.ratio.median * 100).toFixed(0)}% of hello world)`,
          )
          .join(", "),
        table: [
          ["target", "req/s", "÷ hello world", "p50 (ms)", "p99 (ms)", "non-2xx + errors"],
          ...rows.map((r) => [
            r.name,
            formatSpread(r.rps, 0),
            formatSpread(r.ratio),
            formatSpread(r.p50, 0),
            formatSpread(r.p99, 0),
            String(r.failures),
          ]),
          ...(["api", "hello"] as const).map((which) => [
            which === "api" ? "start: API process" : "start: hello world",
            "",
            "",
            `${formatSpread(spread(starts[which].map((s) => s.ms)), 0)} to listening`,
            `${formatSpread(spread(starts[which].map((s) => s.rssMiB)), 0)} MiB RSS`,
            "",
          ]),
        ],
        notes: [
          `${rounds} rounds of ${seconds} s per target, ${CONNECTIONS} connections, rotating which target goes first.`,
          `${STACKS} pg-database stacks inserted directly in the database; GET /v1/stacks reads the first page (default size).`,
          "POST /v1/stacks creates a stack, its `up` operation and an outbox row per request; the worker is stopped, so only the API and Postgres work.",
          "The API runs as shipped (pino at info, one line per request); the hello world logs nothing.",
          "The floor rows are the API's own routes that do the least: /healthz passes only the hooks every request passes (request line, metrics, security headers, request id); /v1/policy adds the token check and the rate limit and answers from memory (the admin token). No stack route can be faster than they are.",
          "The list-page floor is the hello-world process answering GET /v1/stacks's current first page (fetched just before) from memory, stringified at each request: what the list would reach if reading, checking and showing its stacks, and the API's hooks, cost nothing.",
          "Start rows: spawn (node, its own type stripping) to the process's listening line, and its resident memory then.",
        ],
        data: { measured, starts },
      };
    } finally {
      await hello.stop();
      await bench.stop();
    }
  },
};

function helloUrl(output: string): string {
  const match = /listening on (\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`hello server did not say where it listens: ${output}`);
  return match[1];
}

/**
 * Inserts `count` ready stacks for the team in one statement, then refreshes the planner's
 * statistics, as autovacuum would within a minute: with the empty table's, a stack read by id
 * scanned the team's stacks and a list page sorted all of them. Returns one of their ids.
 */
export async function insertStacks(db: pg.Pool, count: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO stacks (id, team_id, kind, name, spec, status, outputs, updated_at)
       SELECT gen_random_uuid(), (SELECT id FROM teams LIMIT 1), 'pg-database', 'seeded-' || n,
              '{"connectionLimit":20,"extensions":[]}', 'ready', '{"host":"127.0.0.1","port":5432}', now()
         FROM generate_series(1, $1::int) AS n
       RETURNING id`,
    [count],
  );
  await db.query("ANALYZE stacks");
  const id = rows[Math.floor(rows.length / 2)]?.id;
  if (!id) throw new Error("no stacks were inserted");
  return id;
}
