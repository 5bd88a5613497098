// `node bench/profile/api-load.ts [get|list|post|/any/path …] [--seconds N] [--no-profile]`:
// the API process under the API figure's load (bench/figures/api.ts: 1,000 stacks, worker stopped,
// 10 connections), one target after the other (a path is a GET of it with the operator's token):
// its CPU time per request (user and system, from /proc; on a shared machine a steadier figure
// than requests/s) and a CPU profile, then the profile's summary (summary.ts). The profile samples
// wall time: a syscall the process was descheduled in (a write that woke Postgres) looks costly
// there, so the /proc split says what was CPU. The measured process is a second API process on
// the same database.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApi } from "../../tests/e2e/processes.ts";
import { insertStacks } from "../figures/api.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { load } from "../support/load.ts";

const args = process.argv.slice(2);
const secondsAt = args.indexOf("--seconds");
const seconds = secondsAt >= 0 ? Number(args.splice(secondsAt, 2)[1]) : 10;
const noProfileAt = args.indexOf("--no-profile");
const profiling = noProfileAt < 0 || args.splice(noProfileAt, 1).length === 0;
const targets = args.length > 0 ? args : ["get", "list", "post"];

/** CPU seconds the process has used so far, in user space and in the kernel. */
function cpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .slice(11, 13)
    .map(Number);
  return { user: (utime ?? 0) / 100, system: (stime ?? 0) / 100 };
}

/** CPU seconds used so far by every Postgres process (the server and its backends). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      const { user, system } = cpuSeconds(Number(pid));
      total += user + system;
    } catch {
      // The process ended while being read.
    }
  }
  return total;
}

const bench = await startBenchGantry();
await Promise.all(bench.gantry.workers.map((worker) => worker.stop()));
const profileDir = await mkdtemp(join(tmpdir(), "gantry-api-profile-"));
const api = await startApi({
  ...bench.gantry.env,
  ...(profiling ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
});
try {
  const stackId = await insertStacks(bench.db, 1_000);
  const base = api.baseUrl;
  const auth = { authorization: `Bearer ${bench.gantry.operatorToken}` };
  for (const target of targets) {
    const options = target.startsWith("/")
      ? { url: `${base}${target}`, headers: auth }
      : target === "get"
        ? { url: `${base}/v1/stacks/${stackId}`, headers: auth }
        : target === "list"
          ? { url: `${base}/v1/stacks`, headers: auth }
          : {
              url: `${base}/v1/stacks`,
              method: "POST" as const,
              headers: { ...auth, "content-type": "application/json" },
              body: JSON.stringify({ kind: "pg-database", name: `${bench.name("prof")}-{n}`, spec: {} }),
            };
    const pid = api.child.pid ?? 0;
    const cpuBefore = cpuSeconds(pid);
    const postgresBefore = postgresCpuSeconds();
    const result = await load({ ...options, seconds, connections: 10 });
    const requests = result.requestsPerSecond * seconds;
    const cpuAfter = cpuSeconds(pid);
    const postgres = postgresCpuSeconds() - postgresBefore;
    const msPerRequest = (cpu: number) => ((cpu * 1000) / requests).toFixed(2);
    const user = cpuAfter.user - cpuBefore.user;
    const system = cpuAfter.system - cpuBefore.system;
    console.log(
      `${target}: ${result.requestsPerSecond.toFixed(0)} req/s, API CPU ${msPerRequest(user + system)} ms ` +
        `per request (user ${msPerRequest(user)}, system ${msPerRequest(system)}), ` +
        `Postgres CPU ${msPerRequest(postgres)} ms, ` +
        `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`,
    );
  }
} finally {
  await api.stop();
  await bench.stop();
}
if (!profiling) process.exit(0);
const [file] = (await readdir(profileDir)).filter((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`no profile was written in ${profileDir}`);
const summary = spawn(process.execPath, ["bench/profile/summary.ts", join(profileDir, file), "40"], {
  stdio: "inherit",
});
await once(summary, "exit");
