// What a figure is: one measurement with its baseline, run by bench/run.ts, reported as a table.

export interface BenchOptions {
  /** Smoke run: few repetitions, small fleets; the numbers are only indicative. */
  quick: boolean;
  /**
   * `--operations N`: how many operations a figure measures per setting: dispatch-latency's per
   * setting, throughput's ups per measurement (its default: 4 quick, 50 full).
   */
  operations?: number | undefined;
  /** Progress lines (stderr); the summary goes to stdout at the end. */
  log(message: string): void;
}

export interface FigureResult {
  /** One line for the stdout summary, e.g. "up: 1.31× bare (1.20–1.52)". */
  headline: string;
  /** Markdown table (header and rows) for the report. */
  table: string[][];
  /** Notes under the table: what was measured, how, and caveats. */
  notes: string[];
  /** Everything measured, raw, for the JSON report. */
  data: unknown;
}

export interface Figure {
  id: string;
  title: string;
  run(options: BenchOptions): Promise<FigureResult>;
}
