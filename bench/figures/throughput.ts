// Figure 4: how far one worker goes. N ups of N new stacks requested at once, with the worker's
// concurrency at 1, 2 and 4, against the same N bare runs at the same parallelism; peak resident
// memory of the worker process alone and, separately, of its engine processes (summed).

import { dropTeamDatabases } from "../../tests/support/pg-cleanup.ts";
import { bareRunner } from "../support/bare.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { pooled } from "../support/interleave.ts";
import { type RssPeaks, sampleRss } from "../support/rss.ts";
import { formatSpread, spread } from "../support/stats.ts";

interface Measure {
  concurrency: number;
  round: number;
  gantrySeconds: number;
  bareSeconds: number;
  rss: RssPeaks;
}

export const throughput: Figure = {
  id: "throughput",
  title: "4. Throughput of one worker (N ups at once) and its memory",
  async run({ quick, operations, log }) {
    const stacks = operations ?? (quick ? 4 : 50);
    const levels = quick ? [1, 2] : [1, 2, 4];
    const rounds = quick ? 1 : 2;
    const bench = await startBenchGantry();
    const bareTeam = `bare-${bench.teamName}`;
    const bare = bareRunner(bench.gantry.env, bareTeam);
    const serverUrl = bare.settings.pgServerUrl;
    const measures: Measure[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        for (const [index, concurrency] of levels.entries()) {
          const worker = await bench.replaceWorkers({ WORKER_CONCURRENCY: String(concurrency) });
          const pid = worker.child.pid as number;
          const gantry = async () => {
            const sampler = sampleRss(pid);
            const started = performance.now();
            const created = await Promise.all(
              Array.from({ length: stacks }, () => bench.createStack(bench.name(`tp${concurrency}`))),
            );
            await Promise.all(created.map(({ operationId }) => bench.succeeded(operationId, 3_600_000)));
            const seconds = (performance.now() - started) / 1000;
            return { seconds, rss: sampler.stop() };
          };
          const baseline = async () => {
            const started = performance.now();
            await pooled(
              Array.from({ length: stacks }, (_, i) => () => {
                const name = `tp-${round}-${concurrency}-${i}`;
                return bare.run({ verb: "up", stackName: name, name, spec: {} });
              }),
              concurrency,
            );
            return (performance.now() - started) / 1000;
          };
          // Alternate which side goes first from one measurement to the next.
          const gantryFirst = (round + index) % 2 === 0;
          const g = gantryFirst ? await gantry() : undefined;
          const bareSeconds = await baseline();
          const { seconds, rss } = g ?? (await gantry());
          measures.push({ concurrency, round, gantrySeconds: seconds, bareSeconds, rss });
          log(
            `throughput round ${round + 1}/${rounds}, concurrency ${concurrency}: Gantry ${seconds.toFixed(1)} s, ` +
              `bare ${bareSeconds.toFixed(1)} s, worker ${mib(rss.processKiB)} MiB, engines ${mib(rss.descendantsKiB)} MiB`,
          );
          // The server would otherwise collect hundreds of databases over a full run.
          await dropTeamDatabases(serverUrl, bench.teamName);
          await dropTeamDatabases(serverUrl, bareTeam);
        }
      }
      const rows = levels.map((concurrency) => {
        const of = measures.filter((m) => m.concurrency === concurrency);
        return {
          concurrency,
          gantryPerMinute: spread(of.map((m) => (stacks / m.gantrySeconds) * 60)),
          barePerMinute: spread(of.map((m) => (stacks / m.bareSeconds) * 60)),
          ratio: spread(of.map((m) => m.gantrySeconds / m.bareSeconds)),
          workerMiB: spread(of.map((m) => m.rss.processKiB / 1024)),
          enginesMiB: spread(of.map((m) => m.rss.descendantsKiB / 1024)),
        };
      });
      return {
        headline: rows
          .map(
            (r) =>
              `c=${r.concurrency}: ${r.gantryPerMinute.median.toFixed(1)} ups/min, ${r.ratio.median.toFixed(2)}× bare time`,
          )
          .join("; "),
        table: [
          [
            "concurrency",
            "Gantry ups/min",
            "bare ups/min",
            "Gantry ÷ bare (time)",
            "peak worker RSS (MiB)",
            "peak engines RSS, summed (MiB)",
          ],
          ...rows.map((r) => [
            String(r.concurrency),
            formatSpread(r.gantryPerMinute, 1),
            formatSpread(r.barePerMinute, 1),
            formatSpread(r.ratio),
            formatSpread(r.workerMiB, 0),
            formatSpread(r.enginesMiB, 0),
          ]),
        ],
        notes: [
          `${stacks} new pg-database stacks per measurement, all requested at once (Gantry) or run ${"`concurrency`"} at a time (bare); ${rounds} round(s), alternating which side goes first.`,
          "Worker RSS: VmRSS of the worker process alone; engines: the sum over its descendants (engine processes, pulumi CLI, language host, dynamic provider), sampled every 100 ms.",
          "The machine has 2 cores shared with other work: concurrency above 2 mostly shows contention.",
        ],
        data: { stacks, measures },
      };
    } finally {
      await dropTeamDatabases(serverUrl, bareTeam);
      await bench.stop();
    }
  },
};

const mib = (kib: number) => (kib / 1024).toFixed(0);
