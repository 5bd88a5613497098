// Waiting on a condition with a deadline, for code that runs outside vitest too (the benchmark
// harness): polls `check` until it returns a value other than undefined, or throws on timeout.

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeout: number;
  /** Pause between two checks (ms). */
  interval?: number;
  /** Says what was awaited, for the timeout's message. */
  what?: string;
}

export async function waitUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeout, interval = 50, what = "a condition" }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
