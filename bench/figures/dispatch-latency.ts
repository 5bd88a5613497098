// Figure 2: how long an accepted request waits before its engine process is up: the operation's
// createdAt (written in the API's transaction) → the worker's "engine process started" log line.
// Baseline: a homegrown pipeline's process start, i.e. a fresh process that loads the same program
// (bench/baseline/bare-run.ts with the "start" verb), timed spawn → exit.
import { bareRunner } from "../support/bare.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { interleaved, pooled } from "../support/interleave.ts";
import { percentiles, spread } from "../support/stats.ts";
import { engineStarts } from "../support/worker-log.ts";

const LANES = 2; // = the worker's concurrency: no operation waits for a busy slot

export const dispatchLatency: Figure = {
  id: "dispatch-latency",
  title: "2. Dispatch latency (accepted → engine process started)",
  async run({ quick, log }) {
    const operations = quick ? 10 : 100;
    const bench = await startBenchGantry();
    const bare = bareRunner(bench.gantry.env);
    try {
      const stacks = await pooled(
        Array.from({ length: LANES }, () => async () => {
          const created = await bench.createStack(bench.name("dispatch"));
          await bench.succeeded(created.operationId);
          return created.stackId;
        }),
        LANES,
      );
      const ids: string[] = [];
      const rounds = Math.ceil(operations / LANES);
      const results = await interleaved(rounds, {
        // One preview per stack at once, so each finds a free slot: latency, not queueing.
        gantry: async () => {
          const batch = await Promise.all(
            stacks.map(async (stackId) => {
              const id = await bench.request(stackId, "preview");
              await bench.succeeded(id);
              return id;
            }),
          );
          ids.push(...batch);
          return 0;
        },
        baseline: async () => bare.run({ verb: "start", stackName: "none", name: "none", spec: {} }),
      });
      const starts = engineStarts(bench.gantry.workers[0]?.output() ?? "");
      const { rows } = await bench.db.query<{ id: string; createdAt: Date }>(
        `SELECT id, created_at AS "createdAt" FROM operations WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const latencies = rows.flatMap(({ id, createdAt }) => {
        const started = starts.get(id);
        return started ? [started - createdAt.getTime()] : [];
      });
      if (latencies.length < ids.length)
        log(`dispatch latency: ${ids.length - latencies.length} operations had no engine start in the log`);
      const gantry = percentiles(latencies);
      const baseline = percentiles(results.map((r) => r.baseline));
      log(
        `dispatch latency: p50 ${gantry.p50} ms over ${gantry.n} operations; bare start p50 ${baseline.p50.toFixed(0)} ms`,
      );
      const ms = (x: number) => x.toFixed(0);
      return {
        headline: `p50 ${ms(gantry.p50)} ms, p95 ${ms(gantry.p95)} ms, p99 ${ms(gantry.p99)} ms (bare process start p50 ${ms(baseline.p50)} ms; ratio ${(gantry.p50 / baseline.p50).toFixed(2)}×)`,
        table: [
          ["", "n", "p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)"],
          [
            "Gantry: accepted → engine process started",
            String(gantry.n),
            ms(gantry.p50),
            ms(gantry.p95),
            ms(gantry.p99),
            ms(gantry.max),
          ],
          [
            "bare: fresh process loads the program",
            String(baseline.n),
            ms(baseline.p50),
            ms(baseline.p95),
            ms(baseline.p99),
            ms(baseline.max),
          ],
          ["ratio of p50s", "", (gantry.p50 / baseline.p50).toFixed(2), "", "", ""],
        ],
        notes: [
          `Previews on ${LANES} ready stacks, one per stack at a time, so every operation finds a free worker slot (WORKER_CONCURRENCY=${LANES}).`,
          "Start: the operation's created_at (API transaction); end: the worker's `engine process started` line, logged when the engine process has loaded and says it is ready.",
          "Baseline rounds run between Gantry rounds, alternating which goes first.",
        ],
        data: { latencies, baseline: results.map((r) => r.baseline), spreadMs: spread(latencies) },
      };
    } finally {
      await bench.stop();
    }
  },
};
