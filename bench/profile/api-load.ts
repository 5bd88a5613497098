// `node --import tsx bench/profile/api-load.ts [get|list|post …] [--seconds N]`: a CPU profile of
// the API process under the API figure's load (bench/figures/api.ts: 1,000 stacks, worker stopped,
// 10 connections), one target after the other, then its summary (summary.ts). The profiled process
// is a second API process on the same database, so the figure's own one is not slowed by profiling.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startProcess } from "../../tests/e2e/processes.ts";
import { insertStacks } from "../figures/api.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { load } from "../support/load.ts";

const args = process.argv.slice(2);
const secondsAt = args.indexOf("--seconds");
const seconds = secondsAt >= 0 ? Number(args.splice(secondsAt, 2)[1]) : 10;
const targets = args.length > 0 ? args : ["get", "list", "post"];

const bench = await startBenchGantry();
await Promise.all(bench.gantry.workers.map((worker) => worker.stop()));
const profileDir = await mkdtemp(join(tmpdir(), "gantry-api-profile-"));
const port = await freePort();
const api = await startProcess(
  "apps/api/src/main.ts",
  {
    ...bench.gantry.env,
    PORT: String(port),
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}`,
  },
  /listening on/,
);
try {
  const stackId = await insertStacks(bench.db, 1_000);
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${bench.gantry.operatorToken}` };
  for (const target of targets) {
    const options =
      target === "get"
        ? { url: `${base}/v1/stacks/${stackId}`, headers: auth }
        : target === "list"
          ? { url: `${base}/v1/stacks`, headers: auth }
          : {
              url: `${base}/v1/stacks`,
              method: "POST" as const,
              headers: { ...auth, "content-type": "application/json" },
              body: JSON.stringify({ kind: "pg-database", name: `${bench.name("prof")}-{n}`, spec: {} }),
            };
    const result = await load({ ...options, seconds, connections: 10 });
    console.log(
      `${target}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`,
    );
  }
} finally {
  await api.stop();
  await bench.stop();
}
const [file] = (await readdir(profileDir)).filter((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile was written in ${profileDir}`);
const summary = spawn(
  process.execPath,
  ["--import", "tsx", "bench/profile/summary.ts", join(profileDir, file), "40"],
  { stdio: "inherit" },
);
await once(summary, "exit");
