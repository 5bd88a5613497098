// Reads the worker's pino JSON lines: when each operation's engine process started.

/** operationId → time (ms since the epoch) of the worker's "engine process started" line. */
export function engineStarts(output: string): Map<string, number> {
  const starts = new Map<string, number>();
  for (const line of output.split("\n")) {
    if (!line.includes("engine process started")) continue;
    try {
      const entry = JSON.parse(line) as { operationId?: string; time?: number };
      if (entry.operationId && entry.time) starts.set(entry.operationId, entry.time);
    } catch {
      // A line cut by the read; the next read has it whole.
    }
  }
  return starts;
}
