// Figure 8: a fleet rollout against the same changes requested one stack at a time. N pg-database
// stacks on blueprint v1; Gantry rolls them to v2 in three waves (1, 10%, the rest: every stack
// previewed first, then applied wave by wave) and back to v1, alternating with the baseline: the
// same N stacks changed by N separate PATCHes requested at once (no previews, no waves).
import { waitUntil } from "../../tests/support/wait.ts";
import type { Figure } from "../support/figure.ts";
import { type BenchGantry, startBenchGantry } from "../support/gantry.ts";
import { formatSpread, spread } from "../support/stats.ts";

interface Measure {
  round: number;
  rolloutSeconds: number;
  separateSeconds: number;
}

export const rollout: Figure = {
  id: "rollout",
  title: "8. Fleet rollout in three waves vs. the same ups requested separately",
  async run({ quick, log }) {
    const stacks = 12;
    const rounds = quick ? 1 : 3;
    const bench = await startBenchGantry({ GANTRY_ROLLOUT_TICK_SECONDS: "1", WORKER_CONCURRENCY: "4" });
    try {
      const names = Array.from({ length: stacks }, () => bench.name("ro"));
      const ids = await Promise.all(
        names.map(async (name) => {
          const answer = await bench.gantry.call("POST", "/v1/stacks", {
            kind: "pg-database",
            name,
            spec: {},
            blueprintVersion: 1,
          });
          await bench.succeeded(answer.body.operation.id);
          return answer.body.stack.id as string;
        }),
      );
      const measures: Measure[] = [];
      let limit = 10;
      for (let round = 0; round < rounds; round++) {
        const target = round % 2 === 0 ? 2 : 1;
        const separate = async () => {
          limit += 1;
          const started = performance.now();
          const ops = await Promise.all(
            ids.map((id) =>
              bench.gantry.call("PATCH", `/v1/stacks/${id}`, { spec: { connectionLimit: limit } }),
            ),
          );
          await Promise.all(ops.map((answer) => bench.succeeded(answer.body.operation.id)));
          return (performance.now() - started) / 1000;
        };
        const rolled = async () => {
          const started = performance.now();
          await rollOut(bench, names, target);
          return (performance.now() - started) / 1000;
        };
        const separateFirst = round % 2 === 1;
        const s1 = separateFirst ? await separate() : undefined;
        const rolloutSeconds = await rolled();
        const separateSeconds = s1 ?? (await separate());
        measures.push({ round, rolloutSeconds, separateSeconds });
        log(
          `rollout round ${round + 1}/${rounds}: rollout ${rolloutSeconds.toFixed(1)} s, separate ups ${separateSeconds.toFixed(1)} s`,
        );
      }
      const rolloutS = spread(measures.map((m) => m.rolloutSeconds));
      const separateS = spread(measures.map((m) => m.separateSeconds));
      const ratio = spread(measures.map((m) => m.rolloutSeconds / m.separateSeconds));
      return {
        headline: `${stacks} stacks: rollout ${rolloutS.median.toFixed(1)} s, separate ups ${separateS.median.toFixed(1)} s (${ratio.median.toFixed(2)}×)`,
        table: [
          ["", "seconds", "÷ separate ups"],
          ["rollout, waves 1 / 10% / rest, previews first", formatSpread(rolloutS, 1), formatSpread(ratio)],
          [`${stacks} separate ups, requested at once`, formatSpread(separateS, 1), "1.00"],
        ],
        notes: [
          `${stacks} pg-database stacks, worker concurrency 4; rounds alternate the blueprint version (v1 ↔ v2) and which side goes first.`,
          "A rollout previews every stack before its first wave and waits for a wave to end before the next; separate ups do neither, which is the price of its safety.",
        ],
        data: { stacks, measures },
      };
    } finally {
      await bench.stop();
    }
  },
};

async function rollOut(bench: BenchGantry, names: string[], targetVersion: number): Promise<void> {
  const answer = await bench.gantry.call("POST", "/v1/rollouts", {
    kind: "pg-database",
    targetVersion,
    waves: [1, "10%", "100%"],
    stacks: names,
  });
  if (answer.status !== 202)
    throw new Error(`rollout answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const done = await waitUntil(
    async () => {
      const { body } = await bench.gantry.call("GET", `/v1/rollouts/${answer.body.id}`);
      return ["succeeded", "paused", "cancelled"].includes(body.status) ? body : undefined;
    },
    { timeout: 1_800_000, interval: 250, what: "the rollout to end" },
  );
  if (done.status !== "succeeded") throw new Error(`rollout ended ${done.status}: ${done.pausedReason}`);
}
