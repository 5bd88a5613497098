// Figure 1: what Gantry adds to a run. A Gantry `up` of a pg-database stack, from the request to
// the operation seen succeeded in Postgres, against a bare run of the same program in a fresh
// process (bench/baseline/bare-run.ts); likewise a no-change `up` and a `preview`.

import { dropTeamDatabases } from "../../tests/support/pg-cleanup.ts";
import { bareRunner } from "../support/bare.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { interleaved } from "../support/interleave.ts";
import { formatSpread, pairedRatios, spread } from "../support/stats.ts";

type Step = "up (create)" | "up (no change)" | "preview";
type Times = Record<Step, number>;
const STEPS: Step[] = ["up (create)", "up (no change)", "preview"];

export const engineOverhead: Figure = {
  id: "engine-overhead",
  title: "1. Engine overhead (Gantry ÷ bare Automation API run)",
  async run({ quick, log }) {
    const rounds = quick ? 3 : 10;
    const bench = await startBenchGantry();
    const bare = bareRunner(bench.gantry.env, `bare-${bench.teamName}`);
    try {
      const timed = async (work: () => Promise<unknown>) => {
        const started = performance.now();
        await work();
        return performance.now() - started;
      };
      // Not counted: the worker's first run has no spare engine yet, and nothing is in any cache.
      const warmUp = await bench.createStack(bench.name("warm-up"));
      await bench.succeeded(warmUp.operationId);
      await bare.run({ verb: "up", stackName: "bare-warm-up", name: "bare-warm-up", spec: {} });
      const results = await interleaved<Times>(
        rounds,
        {
          async gantry() {
            let stackId = "";
            const create = await timed(async () => {
              const created = await bench.createStack(bench.name("overhead"));
              stackId = created.stackId;
              await bench.succeeded(created.operationId);
            });
            const same = await timed(async () => bench.succeeded(await bench.request(stackId, "up")));
            const preview = await timed(async () => bench.succeeded(await bench.request(stackId, "preview")));
            return { "up (create)": create, "up (no change)": same, preview };
          },
          async baseline(round) {
            const target = { stackName: `bare-${round}`, name: `bare-${round}`, spec: {} };
            return {
              "up (create)": await bare.run({ ...target, verb: "up" }),
              "up (no change)": await bare.run({ ...target, verb: "up" }),
              preview: await bare.run({ ...target, verb: "preview" }),
            };
          },
        },
        ({ round, gantry, baseline }) =>
          log(
            `engine overhead round ${round + 1}/${rounds}: ` +
              STEPS.map(
                (s) => `${s} ${(gantry[s] / 1000).toFixed(2)}s vs ${(baseline[s] / 1000).toFixed(2)}s`,
              ).join(", "),
          ),
      );
      const rows = STEPS.map((step) => {
        const ratio = pairedRatios(
          results.map((r) => ({ gantry: r.gantry[step], baseline: r.baseline[step] })),
        );
        const g = spread(results.map((r) => r.gantry[step] / 1000));
        const b = spread(results.map((r) => r.baseline[step] / 1000));
        return { step, ratio, gantry: g, baseline: b };
      });
      return {
        headline: rows.map((r) => `${r.step} ${formatSpread(r.ratio)}×`).join(", "),
        table: [
          ["run", "Gantry ÷ bare", "Gantry (s)", "bare (s)", "rounds"],
          ...rows.map((r) => [
            r.step,
            `${formatSpread(r.ratio)}×`,
            formatSpread(r.gantry),
            formatSpread(r.baseline),
            String(r.ratio.n),
          ]),
        ],
        notes: [
          "Gantry: POST accepted (202) → operation `succeeded` seen in Postgres (polled every 10 ms), one worker, WORKER_CONCURRENCY=2.",
          "Bare: a fresh `node bench/baseline/bare-run.ts` process running the same pg-database program through LocalWorkspace (inline program), with the engine's environment and the same file:// backend; timed spawn → exit.",
          "Each round runs Gantry and the bare run back to back, alternating which goes first; one uncounted warm-up run on each side first.",
          "The worker's warm spare engines (WORKER_WARM_ENGINE, on by default) have the runner loaded before a request arrives; the bare run pays its process start every time, as a pipeline does.",
        ],
        data: results,
      };
    } finally {
      await dropTeamDatabases(bare.settings.pgServerUrl, `bare-${bench.teamName}`);
      await bench.stop();
    }
  },
};
