// Gantry's real API and worker processes on a fresh database, with a queue prefix and a data
// directory of their own, and tokens of a fresh team: what the e2e tests (gantry.ts) and the
// benchmarks start. No test framework here, so scripts can use it too.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "../support/test-database.ts";
import { freePort, runCommand, startProcess } from "./processes.ts";

export interface LaunchedGantry {
  baseUrl: string;
  /** A new token of the launch's team (its last output line, as `npm run admin` prints it). */
  token(role: "viewer" | "operator" | "admin"): Promise<string>;
  stop(): Promise<void>;
}

export async function launchGantry(extraEnv: Record<string, string> = {}): Promise<LaunchedGantry> {
  const serverUrl = process.env.GANTRY_TEST_PG_SERVER_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!serverUrl || !redisUrl)
    throw new Error("run through `npm test`: GANTRY_TEST_PG_SERVER_URL and REDIS_URL are unset");
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-e2e-"));
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    GANTRY_DATA_DIR: dataDir,
    GANTRY_QUEUE_PREFIX: `e2e-${randomBytes(4).toString("hex")}`,
    GANTRY_PG_SERVER_URL: serverUrl,
    PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
    LOG_LEVEL: "info",
    ...extraEnv,
  };
  const port = await freePort();
  const [api, worker] = await Promise.all([
    startProcess("apps/api/src/main.ts", { ...env, PORT: String(port) }, /listening on/),
    startProcess("apps/worker/src/main.ts", env, /worker ready/),
  ]);
  const team = `e2e-${randomBytes(3).toString("hex")}`;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async token(role) {
      const args = [
        "--import",
        "tsx",
        "apps/api/src/admin.ts",
        "token",
        "create",
        "--team",
        team,
        "--role",
        role,
      ];
      return (await runCommand(args, env)).trim().split("\n").at(-1) ?? "";
    },
    async stop() {
      await Promise.all([api.stop(), worker.stop()]);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
