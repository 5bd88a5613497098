// Figure 6: what storing engine events costs. An `up` that creates a few hundred resources (the
// benchmark-only bench-fanout kind: empty components, so the run is mostly engine events) with the
// worker storing events, against the same with GANTRY_STORE_EVENTS=false, in alternating rounds.
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { interleaved } from "../support/interleave.ts";
import { formatSpread, pairedRatios, spread } from "../support/stats.ts";

export const eventIngestion: Figure = {
  id: "event-ingestion",
  title: "6. Event ingestion (events stored ÷ not stored)",
  async run({ quick, log }) {
    const resources = 200;
    const rounds = quick ? 2 : 6;
    // GANTRY_BENCH_KINDS: the API accepts and the engine runs the bench-fanout kind.
    const bench = await startBenchGantry({ GANTRY_BENCH_KINDS: "true" });
    try {
      const up = async (storeEvents: boolean) => {
        await bench.replaceWorkers({ GANTRY_STORE_EVENTS: String(storeEvents) });
        const name = bench.name("fanout");
        const started = performance.now();
        const answer = await bench.gantry.call("POST", "/v1/stacks", {
          kind: "bench-fanout",
          name,
          spec: { resources },
        });
        if (answer.status !== 202) throw new Error(`creating ${name}: ${JSON.stringify(answer.body)}`);
        const operationId = answer.body.operation.id as string;
        await bench.succeeded(operationId);
        const seconds = (performance.now() - started) / 1000;
        const { rows } = await bench.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM operation_events WHERE operation_id = $1",
          [operationId],
        );
        return { seconds, events: rows[0]?.n ?? 0 };
      };
      const results = await interleaved(rounds, { gantry: () => up(true), baseline: () => up(false) }, (r) =>
        log(
          `event ingestion round ${r.round + 1}/${rounds}: stored ${r.gantry.seconds.toFixed(2)} s (${r.gantry.events} events), ` +
            `not stored ${r.baseline.seconds.toFixed(2)} s (${r.baseline.events} events)`,
        ),
      );
      const ratio = pairedRatios(
        results.map((r) => ({ gantry: r.gantry.seconds, baseline: r.baseline.seconds })),
      );
      const stored = spread(results.map((r) => r.gantry.seconds));
      const notStored = spread(results.map((r) => r.baseline.seconds));
      const events = spread(results.map((r) => r.gantry.events));
      return {
        headline: `${formatSpread(ratio)}× with ${events.median} events stored per run`,
        table: [
          ["", "up of 200 resources (s)", "events stored"],
          ["events stored", formatSpread(stored), formatSpread(events, 0)],
          ["GANTRY_STORE_EVENTS=false", formatSpread(notStored), "0"],
          ["stored ÷ not stored", `${formatSpread(ratio)}×`, ""],
        ],
        notes: [
          `Each run creates a new bench-fanout stack of ${resources} empty component resources (no provider calls): the engine emits a few events per resource, and the run does little else.`,
          "bench-fanout is registered only when GANTRY_BENCH_KINDS=true (API and worker configuration); no normal deployment offers it.",
          "Timed from POST accepted to the operation seen `succeeded`; the worker is restarted with the setting before each run, rounds alternate which setting goes first.",
        ],
        data: results,
      };
    } finally {
      await bench.stop();
    }
  },
};
