// Resident memory of a process and of its descendants, sampled from /proc while a figure runs.
import { readdirSync, readFileSync } from "node:fs";

function statusRssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // ended while we looked
  }
}

/** pid → parent pid of every living process. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(Number(entry), ppid);
    } catch {
      // ended while we looked
    }
  }
  return map;
}

function descendants(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [...(byParent.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(byParent.get(pid) ?? []));
  }
  return found;
}

export interface RssPeaks {
  /** The process alone (e.g. the worker, without its engine processes). */
  processKiB: number;
  /** The sum over its descendants (the engine processes, pulumi CLI, language hosts, providers). */
  descendantsKiB: number;
}

/** Samples every `intervalMs` until stopped; returns the peaks seen. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): RssPeaks } {
  const peaks: RssPeaks = { processKiB: 0, descendantsKiB: 0 };
  const sample = () => {
    peaks.processKiB = Math.max(peaks.processKiB, statusRssKiB(pid));
    const sum = descendants(pid).reduce((n, child) => n + statusRssKiB(child), 0);
    peaks.descendantsKiB = Math.max(peaks.descendantsKiB, sum);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
