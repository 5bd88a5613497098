// Writes a run's report: bench/results/<timestamp>.md and .json, and a summary for stdout.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { FigureResult } from "./figure.ts";

const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

export interface FigureOutcome {
  id: string;
  title: string;
  result?: FigureResult;
  /** Set when the figure could not be measured; the report says why. */
  failure?: string;
  seconds: number;
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
  };
}

function markdownTable(rows: string[][]): string[] {
  const [header, ...body] = rows;
  if (!header) return [];
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...body.map((row) => `| ${row.join(" | ")} |`),
  ];
}

export function toMarkdown(mode: string, startedAt: Date, outcomes: FigureOutcome[]): string {
  const m = machine();
  const lines = [
    `# Gantry benchmark, ${mode} mode, ${startedAt.toISOString()}`,
    "",
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average at the end ${m.loadAverage.join(" / ")}.`,
    "Ratios are Gantry ÷ a baseline run interleaved with it in this run; cells show the median (min–max).",
    "",
  ];
  for (const outcome of outcomes) {
    lines.push(`## ${outcome.title}`, "");
    if (outcome.result) {
      lines.push(`**${outcome.result.headline}**`, "", ...markdownTable(outcome.result.table), "");
      for (const note of outcome.result.notes) lines.push(`- ${note}`);
    } else {
      lines.push(`Not measured: ${outcome.failure}`);
    }
    lines.push("", `(${outcome.seconds.toFixed(0)} s)`, "");
  }
  return lines.join("\n");
}

export function summary(outcomes: FigureOutcome[]): string {
  return outcomes
    .map((o) => `${o.title}: ${o.result ? o.result.headline : `not measured (${o.failure})`}`)
    .join("\n");
}

export async function writeReport(
  mode: string,
  startedAt: Date,
  outcomes: FigureOutcome[],
): Promise<{ markdown: string; json: string }> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const markdown = `${RESULTS_DIR}${stamp}.md`;
  const json = `${RESULTS_DIR}${stamp}.json`;
  await writeFile(markdown, toMarkdown(mode, startedAt, outcomes));
  await writeFile(
    json,
    `${JSON.stringify({ mode, startedAt, machine: machine(), figures: outcomes }, null, 2)}\n`,
  );
  return { markdown, json };
}
