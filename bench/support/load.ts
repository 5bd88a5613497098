// HTTP load with autocannon, from the bench process against a server on loopback.
import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx, and connection errors and timeouts. */
  non2xx: number;
  errors: number;
}

export async function load(
  options: Pick<autocannon.Options, "url" | "method" | "headers" | "body" | "requests"> & {
    seconds: number;
    connections?: number;
  },
): Promise<LoadResult> {
  const result = await autocannon({
    ...options,
    duration: options.seconds,
    connections: options.connections ?? 10,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
