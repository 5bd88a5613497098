// HTTP load with autocannon, in a process of its own: the bench process stays idle enough to
// drain the API's log pipe at once (a busy reader would throttle the API through its stdout).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./autocannon-process.ts", import.meta.url));

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers by status code, e.g. {"202": {"count": 9000}}. */
  statusCodes: Record<string, { count: number }>;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** `{n}` in it is replaced by a counter, one value per request. */
  body?: string;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const child = spawn(process.execPath, [ENTRY, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${err.slice(-1000)}`);
  return JSON.parse(out) as LoadResult;
}
