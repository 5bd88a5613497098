// Figure 5: drift checks per minute over a fleet of pg-database stacks with one worker, against
// the same preview-only refreshes run bare at the worker's parallelism. Runs only where the worker
// supports the drift-check operation; where it answers that the kind is not supported, the figure
// says "not available" instead of measuring something else.

import { dropTeamDatabases } from "../../tests/support/pg-cleanup.ts";
import { bareRunner } from "../support/bare.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { pooled } from "../support/interleave.ts";
import { formatSpread, spread } from "../support/stats.ts";

const CONCURRENCY = 2; // the worker's default

export const drift: Figure = {
  id: "drift",
  title: "5. Drift checks per minute (one worker)",
  async run({ quick, log }) {
    const fleet = quick ? 4 : 100;
    const rounds = quick ? 1 : 3;
    const bench = await startBenchGantry({ WORKER_CONCURRENCY: String(CONCURRENCY) });
    const bareTeam = `bare-${bench.teamName}`;
    const bare = bareRunner(bench.gantry.env, bareTeam);
    try {
      const ready = async () => {
        const created = await bench.createStack(bench.name("drift"));
        await bench.succeeded(created.operationId, 3_600_000);
        return created.stackId;
      };
      const first = await ready();
      const probe = await bench.finished(await bench.request(first, "drift-check"));
      if (probe.status !== "succeeded") {
        const reason = probe.error?.message ?? probe.status;
        if (/not supported/i.test(reason)) {
          log(`drift: not available (${reason})`);
          return notAvailable(reason);
        }
        throw new Error(`the first drift check ended ${probe.status}: ${reason}`);
      }
      log(`drift: creating ${fleet} stacks on each side`);
      const stacks = [
        first,
        ...(await pooled(
          Array.from({ length: fleet - 1 }, () => ready),
          fleet,
        )),
      ];
      const bareNames = Array.from({ length: fleet }, (_, i) => `drift-${i}`);
      await pooled(
        bareNames.map((name) => () => bare.run({ verb: "up", stackName: name, name, spec: {} })),
        CONCURRENCY,
      );
      const results: { gantry: number; bare: number }[] = [];
      for (let round = 0; round < rounds; round++) {
        const gantry = async () => {
          const started = performance.now();
          const ids = await Promise.all(stacks.map((id) => bench.request(id, "drift-check")));
          await Promise.all(ids.map((id) => bench.succeeded(id, 3_600_000)));
          return (fleet / ((performance.now() - started) / 1000)) * 60;
        };
        const baseline = async () => {
          const started = performance.now();
          await pooled(
            bareNames.map((name) => () => bare.run({ verb: "drift-check", stackName: name, name, spec: {} })),
            CONCURRENCY,
          );
          return (fleet / ((performance.now() - started) / 1000)) * 60;
        };
        // Alternate which side goes first.
        const g = round % 2 === 0 ? await gantry() : undefined;
        const b = await baseline();
        const rate = { gantry: g ?? (await gantry()), bare: b };
        results.push(rate);
        log(
          `drift round ${round + 1}/${rounds}: Gantry ${rate.gantry.toFixed(1)}/min, bare ${b.toFixed(1)}/min`,
        );
      }
      const gantry = spread(results.map((r) => r.gantry));
      const baseline = spread(results.map((r) => r.bare));
      const ratio = spread(results.map((r) => r.gantry / r.bare));
      return {
        headline: `${gantry.median.toFixed(1)} checks/min over ${fleet} stacks (${ratio.median.toFixed(2)}× the bare rate)`,
        table: [
          ["", "checks/min", "Gantry ÷ bare (rate)"],
          ["Gantry, one worker", formatSpread(gantry, 1), formatSpread(ratio)],
          [`bare preview-only refreshes, ${CONCURRENCY} at a time`, formatSpread(baseline, 1), ""],
        ],
        notes: [
          `${fleet} ready stacks; all checks requested at once; WORKER_CONCURRENCY=${CONCURRENCY}; ${rounds} round(s), alternating which side goes first.`,
        ],
        data: results,
      };
    } finally {
      await dropTeamDatabases(bare.settings.pgServerUrl, bareTeam);
      await bench.stop();
    }
  },
};

function notAvailable(reason: string) {
  return {
    headline: "not available: this worker does not run drift checks",
    table: [
      ["", "checks/min"],
      ["Gantry, one worker", "not available"],
    ],
    notes: [
      `The worker answered: "${reason}". The figure runs once the drift-check operation exists (issue 5).`,
    ],
    data: { available: false, reason },
  };
}
