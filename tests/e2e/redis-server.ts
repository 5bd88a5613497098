// A Redis server of a test's own, which the test can stop and start again (an outage). It keeps
// nothing on disk, so a restart comes back empty, as a Redis without persistence would.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./processes.ts";

export interface TestRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "gantry-redis-"));
  let server: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  async function stop() {
    if (!server || server.exitCode !== null) return;
    const exited = once(server, "exit");
    server.kill("SIGKILL");
    await exited;
  }
  return {
    url,
    async start() {
      server = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
        { stdio: "ignore" },
      );
      // Ready once it answers PING.
      const probe = new Redis(url, {
        lazyConnect: true,
        retryStrategy: () => 50,
        maxRetriesPerRequest: null,
      });
      // Refused connections are expected until the server listens; the retries handle them.
      probe.on("error", () => undefined);
      try {
        await probe.connect().catch(() => undefined);
        await probe.ping();
      } finally {
        probe.disconnect();
      }
    },
    stop,
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
