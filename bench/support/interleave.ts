// Runs Gantry and its baseline in alternating order, round after round, so that whatever else the
// shared machine does at a given moment weighs on both sides alike.

export interface Round<T> {
  round: number;
  gantry: T;
  baseline: T;
}

export async function interleaved<T>(
  rounds: number,
  sides: { gantry: (round: number) => Promise<T>; baseline: (round: number) => Promise<T> },
  onRound?: (round: Round<T>) => void,
): Promise<Round<T>[]> {
  const results: Round<T>[] = [];
  for (let round = 0; round < rounds; round++) {
    // Even rounds start with Gantry, odd ones with the baseline: neither always goes first.
    let gantry: T;
    let baseline: T;
    if (round % 2 === 0) {
      gantry = await sides.gantry(round);
      baseline = await sides.baseline(round);
    } else {
      baseline = await sides.baseline(round);
      gantry = await sides.gantry(round);
    }
    const result = { round, gantry, baseline };
    onRound?.(result);
    results.push(result);
  }
  return results;
}

/** Runs `tasks` with at most `parallelism` at once; resolves with their results in order. */
export async function pooled<T>(tasks: readonly (() => Promise<T>)[], parallelism: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, tasks.length) }, lane));
  return results;
}
