// Medians, spreads and percentiles: every figure reports a median with its min/max (or p95/p99)
// rather than a single number, because the machines these runs share are noisy.

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of already sorted values. */
function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: median(sorted),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: rank(sorted, 50),
    p95: rank(sorted, 95),
    p99: rank(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Ratios of paired runs (Gantry ÷ baseline of the same round), as a spread. */
export function pairedRatios(pairs: readonly { gantry: number; baseline: number }[]): Spread {
  return spread(pairs.map(({ gantry, baseline }) => gantry / baseline));
}

/** "1.23 (1.10–1.40)": a median with its range, for tables. */
export function formatSpread(s: Spread, digits = 2, unit = ""): string {
  const f = (x: number) => `${x.toFixed(digits)}${unit}`;
  return s.n === 0 ? "—" : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
