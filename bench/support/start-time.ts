// How long a process takes from spawn to its ready line, and its resident memory then: the API's
// start-up cost (bench figure 3), next to a baseline process started the same way.
import { readFileSync } from "node:fs";
import { startProcess } from "../../tests/e2e/processes.ts";

export interface StartCost {
  ms: number;
  rssMiB: number;
}

export async function startCost(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<StartCost> {
  const started = performance.now();
  const child = await startProcess(entry, env, ready);
  const ms = performance.now() - started;
  try {
    const status = readFileSync(`/proc/${child.child.pid}/status`, "utf8");
    return { ms, rssMiB: Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024 };
  } finally {
    await child.stop();
  }
}
