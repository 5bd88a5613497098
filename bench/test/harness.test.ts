// The benchmark's arithmetic and ordering: what every figure's median, spread and pairing rests on.
import { describe, expect, it } from "vitest";
import { interleaved, pooled } from "../support/interleave.ts";
import { formatSpread, pairedRatios, percentiles, spread } from "../support/stats.ts";

describe("stats", () => {
  it("gives the median and range of odd and even samples", () => {
    expect(spread([5, 1, 3])).toEqual({ n: 3, median: 3, min: 1, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ n: 4, median: 2.5, min: 1, max: 4 });
    expect(spread([]).n).toBe(0);
  });

  it("gives nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentiles(values)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([7])).toEqual({ n: 1, p50: 7, p95: 7, p99: 7, max: 7 });
  });

  it("pairs each Gantry run with the baseline of its own round", () => {
    const ratios = pairedRatios([
      { gantry: 2, baseline: 1 },
      { gantry: 3, baseline: 2 },
      { gantry: 9, baseline: 10 },
    ]);
    expect(ratios).toEqual({ n: 3, median: 1.5, min: 0.9, max: 2 });
    expect(formatSpread(ratios)).toBe("1.50 (0.90–2.00)");
  });
});

describe("ordering", () => {
  it("alternates which side goes first, round after round", async () => {
    const order: string[] = [];
    const rounds = await interleaved(4, {
      gantry: async (round) => order.push(`g${round}`),
      baseline: async (round) => order.push(`b${round}`),
    });
    expect(order).toEqual(["g0", "b0", "b1", "g1", "g2", "b2", "b3", "g3"]);
    expect(rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
  });

  it("never runs more than the parallelism at once, and keeps results in order", async () => {
    let running = 0;
    let most = 0;
    const tasks = Array.from({ length: 7 }, (_, i) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return i * 10;
    });
    expect(await pooled(tasks, 3)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
  });
});
