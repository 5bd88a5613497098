// `npm run bench [-- --quick] [-- --only <figure id>,…] [-- --operations N]`: runs the figures one
// after another, each against its own fresh Gantry (database, queue prefix, data dir), and writes
// the report. `--operations` sets how many operations dispatch-latency measures per setting, and
// throughput's ups per measurement.
import { parseArgs } from "node:util";
import { apiThroughput } from "./figures/api.ts";
import { dispatchLatency } from "./figures/dispatch-latency.ts";
import { drift } from "./figures/drift.ts";
import { engineOverhead } from "./figures/engine-overhead.ts";
import { eventIngestion } from "./figures/event-ingestion.ts";
import { fleet } from "./figures/fleet.ts";
import { rollout } from "./figures/rollout.ts";
import { throughput } from "./figures/throughput.ts";
import type { Figure } from "./support/figure.ts";
import { type FigureOutcome, summary, writeReport } from "./support/report.ts";

const FIGURES: Figure[] = [
  engineOverhead,
  dispatchLatency,
  apiThroughput,
  throughput,
  drift,
  eventIngestion,
  fleet,
  rollout,
];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    operations: { type: "string" },
  },
});
const operations = values.operations === undefined ? undefined : Number(values.operations);
if (operations !== undefined && !(Number.isInteger(operations) && operations > 0)) {
  console.error(`--operations must be a positive integer, not "${values.operations}"`);
  process.exit(2);
}
const only = values.only?.split(",").map((id) => id.trim());
const unknown = only?.filter((id) => !FIGURES.some((f) => f.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown figure(s): ${unknown.join(", ")}; known: ${FIGURES.map((f) => f.id).join(", ")}`);
  process.exit(2);
}
const mode = values.quick ? "quick" : "full";
const startedAt = new Date();
const log = (message: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

const outcomes: FigureOutcome[] = [];
for (const figure of FIGURES.filter((f) => !only || only.includes(f.id))) {
  log(`${figure.title}…`);
  const started = performance.now();
  try {
    const result = await figure.run({ quick: values.quick ?? false, operations, log });
    outcomes.push({
      id: figure.id,
      title: figure.title,
      result,
      seconds: (performance.now() - started) / 1000,
    });
  } catch (err) {
    // One figure failing (a shared machine running out of something) must not lose the others.
    log(`${figure.id} failed: ${(err as Error).stack ?? err}`);
    const failure = (err as Error).message.split("\n")[0] ?? String(err);
    outcomes.push({
      id: figure.id,
      title: figure.title,
      failure,
      seconds: (performance.now() - started) / 1000,
    });
  }
}
const files = await writeReport(mode, startedAt, outcomes);
console.log(summary(outcomes));
console.log(`report: ${files.markdown} (and .json)`);
process.exit(outcomes.some((o) => o.failure) ? 1 : 0);
