// Figure 2: how long an accepted request waits before its engine process is up and has it: the
// operation's createdAt (written in the API's transaction) → the worker's "engine process started"
// line. Measured with the worker's warm spare engines (the default) and without them
// (WORKER_WARM_ENGINE=false: a fresh engine process per run), in alternating blocks.
// Baseline: a homegrown pipeline's process start, i.e. a fresh process that loads the same program
// (bench/baseline/bare-run.ts with the "start" verb), timed spawn → exit, between Gantry rounds.
import { bareRunner } from "../support/bare.ts";
import type { Figure } from "../support/figure.ts";
import { type BenchGantry, startBenchGantry } from "../support/gantry.ts";
import { interleaved, pooled } from "../support/interleave.ts";
import { percentiles } from "../support/stats.ts";
import { engineStarts } from "../support/worker-log.ts";

const LANES = 2; // = the worker's concurrency: no operation waits for a busy slot
const MODES = [
  { label: "Gantry, warm spare engines (default)", warm: true },
  { label: "Gantry, fresh engine per run (WORKER_WARM_ENGINE=false)", warm: false },
] as const;

export const dispatchLatency: Figure = {
  id: "dispatch-latency",
  title: "2. Dispatch latency (accepted → engine process started)",
  async run({ quick, operations, log }) {
    const perMode = operations ?? (quick ? 10 : 100);
    const blocksPerMode = quick ? 1 : 3;
    const roundsPerBlock = Math.ceil(perMode / LANES / blocksPerMode);
    const bench = await startBenchGantry({ WORKER_CONCURRENCY: String(LANES) });
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
      const ids: Record<string, string[]> = { true: [], false: [] };
      const bareStarts: number[] = [];
      for (let block = 0; block < blocksPerMode * 2; block++) {
        const mode = MODES[block % 2] as (typeof MODES)[number];
        await bench.replaceWorkers({
          WORKER_CONCURRENCY: String(LANES),
          WORKER_WARM_ENGINE: String(mode.warm),
        });
        await previews(bench, stacks); // not counted: the first runs after a start have no spares yet
        const results = await interleaved(roundsPerBlock, {
          gantry: async () => {
            ids[String(mode.warm)]?.push(...(await previews(bench, stacks)));
            return 0;
          },
          baseline: async () => bare.run({ verb: "start", stackName: "none", name: "none", spec: {} }),
        });
        bareStarts.push(...results.map((r) => r.baseline));
        log(`dispatch latency: block ${block + 1}/${blocksPerMode * 2} (${mode.label}) done`);
      }
      const starts = new Map(bench.gantry.workers.flatMap((w) => [...engineStarts(w.output())]));
      const latencies = async (operationIds: string[]) => {
        const { rows } = await bench.db.query<{ id: string; createdAt: Date }>(
          `SELECT id, created_at AS "createdAt" FROM operations WHERE id = ANY($1::uuid[])`,
          [operationIds],
        );
        return rows.flatMap(({ id, createdAt }) => {
          const started = starts.get(id);
          return started ? [started - createdAt.getTime()] : [];
        });
      };
      const measured = await Promise.all(
        MODES.map(async (mode) => ({ ...mode, ms: await latencies(ids[String(mode.warm)] ?? []) })),
      );
      const rows = [
        ...measured.map((m) => ({ label: m.label, p: percentiles(m.ms) })),
        { label: "bare: a fresh process loads the program", p: percentiles(bareStarts) },
      ];
      const ms = (x: number) => x.toFixed(0);
      const [warm, cold, baseline] = rows.map((r) => r.p) as [
        ReturnType<typeof percentiles>,
        ReturnType<typeof percentiles>,
        ReturnType<typeof percentiles>,
      ];
      return {
        headline:
          `warm p50 ${ms(warm.p50)} / p95 ${ms(warm.p95)} / p99 ${ms(warm.p99)} ms; ` +
          `fresh engine p50 ${ms(cold.p50)} / p95 ${ms(cold.p95)} / p99 ${ms(cold.p99)} ms; ` +
          `bare process start p50 ${ms(baseline.p50)} ms`,
        table: [
          ["", "n", "p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "p50 ÷ bare p50"],
          ...rows.map((r) => [
            r.label,
            String(r.p.n),
            ms(r.p.p50),
            ms(r.p.p95),
            ms(r.p.p99),
            ms(r.p.max),
            (r.p.p50 / baseline.p50).toFixed(2),
          ]),
        ],
        notes: [
          `Previews on ${LANES} ready stacks, one per stack at a time, so every operation finds a free worker slot (WORKER_CONCURRENCY=${LANES}).`,
          `Worker settings alternate in ${blocksPerMode * 2} blocks (the worker restarted for each); the first previews after a restart are not counted.`,
          "End: the worker's `engine process started` line, logged when an engine process that has loaded the runner is handed the request.",
        ],
        data: { measured, bareStarts },
      };
    } finally {
      await bench.stop();
    }
  },
};

/** One preview per stack, at once; resolves with their operation ids once all succeeded. */
async function previews(bench: BenchGantry, stacks: string[]): Promise<string[]> {
  return Promise.all(
    stacks.map(async (stackId) => {
      const id = await bench.request(stackId, "preview");
      await bench.succeeded(id);
      return id;
    }),
  );
}
