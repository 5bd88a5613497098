// HTTP load with autocannon, in a process of its own: the bench process stays idle enough to
// drain the API's log pipe at once (a busy reader would throttle the API through its stdout).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** `[<id>]` in it is replaced by a fresh id per request (autocannon's --idReplacement). */
  body?: string;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const args = [AUTOCANNON, "--json", "-d", String(options.seconds), "-c", String(options.connections)];
  args.push("-m", options.method ?? "GET");
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}=${value}`);
  if (options.body) args.push("-b", options.body, "-I");
  args.push(options.url);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${err.slice(-1000)}`);
  const result = JSON.parse(out) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
