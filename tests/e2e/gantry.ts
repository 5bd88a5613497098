// Gantry as its users run it, for end-to-end tests: the real API and worker processes on a fresh
// database, a queue prefix and a data directory of their own, and tokens of a fresh team.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FINISHED_OPERATION_STATUSES } from "@gantry/core";
import { dropTeamDatabases } from "../support/pg-cleanup.ts";
import { linkSetupPlugins } from "../support/setup-plugins.ts";
import { createTestDatabase, testRun } from "../support/test-database.ts";
import { dropQueueKeys, testQueuePrefix } from "../support/test-queues.ts";
import { testStateBackend } from "../support/test-state.ts";
import { waitUntil } from "../support/wait.ts";
import { createToken, type GantryProcess, startApi, startProcess } from "./processes.ts";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  body: any;
}

export interface Gantry {
  baseUrl: string;
  /** The environment the processes share (database, Redis, queue prefix, engine settings). */
  env: Record<string, string>;
  /** The worker processes started so far; stopped or killed ones stay in the list. */
  workers: WorkerProcess[];
  /** Starts one more worker process (e.g. after one was killed). */
  startWorker(extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  /** The team the tokens belong to. */
  teamName: string;
  adminToken: string;
  operatorToken: string;
  viewerToken: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  /** What the API and the worker have written to stdout/stderr so far (the API's batched lines flushed). */
  logs(): Promise<string>;
  /** Waits until an operation has finished, whatever its outcome, and returns it. */
  finished(operationId: string): Promise<ApiAnswer["body"]>;
  /** Creates a pg-database stack and waits until it is ready; returns its id and its role's name. */
  readyDatabase(name: string, spec?: Record<string, unknown>): Promise<{ id: string; role: string }>;
  stop(): Promise<void>;
}

export interface WorkerProcess extends GantryProcess {
  workerId: string;
}

export async function startGantry(
  extraEnv: Record<string, string> = {},
  options: { workers?: number } = {},
): Promise<Gantry> {
  // The engine's own role (setup's gantry_engine), never a superuser or Gantry's DATABASE_URL.
  const engineServerUrl = process.env.GANTRY_PG_SERVER_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!engineServerUrl || !redisUrl)
    throw new Error("run through `npm test`: GANTRY_PG_SERVER_URL and REDIS_URL are unset");
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-e2e-"));
  // The engine's Pulumi home is <data dir>/pulumi-home (packages/engine/src/config.ts).
  await linkSetupPlugins(join(dataDir, "pulumi-home"));
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    GANTRY_DATA_DIR: dataDir,
    GANTRY_QUEUE_PREFIX: testQueuePrefix("e2e"),
    GANTRY_PG_SERVER_URL: engineServerUrl,
    // In Gantry's own database, as setup puts it (also when the test brings a server of its own).
    GANTRY_STATE_BACKEND_URL: await testStateBackend(extraEnv.DATABASE_URL ?? database.url, dataDir),
    PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
    GANTRY_SECRET_INPUT_KEY: randomBytes(32).toString("hex"),
    LOG_LEVEL: "info",
    // Tests poll operations every 50 ms; the per-token rate limit is tested on its own.
    RATE_LIMIT_MAX: "1000000",
    ...extraEnv,
  };
  const workers: WorkerProcess[] = [];
  let workerCount = 0;
  const startWorker = async (more: Record<string, string> = {}) => {
    workerCount += 1;
    const workerId = `worker-${workerCount}`;
    const started = await startProcess(
      "apps/worker/src/main.ts",
      { ...env, WORKER_ID: workerId, ...more },
      /worker ready/,
    );
    const worker = { ...started, workerId };
    workers.push(worker);
    return worker;
  };
  const [api] = await Promise.all([
    startApi(env),
    ...Array.from({ length: options.workers ?? 1 }, () => startWorker()),
  ]);
  const { baseUrl } = api;
  // The run's id in the team's name lets a later run drop what this one leaves if it is killed.
  const team = `e2e-${testRun()}-${randomBytes(3).toString("hex")}`;
  const token = (role: string) => createToken(env, { team, role });
  const adminToken = await token("admin");
  const [operatorToken, viewerToken] = await Promise.all([token("operator"), token("viewer")]);

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    as = adminToken,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  /** Waits until an operation has finished, whatever its outcome, and returns it. */
  const finished = (operationId: string) =>
    waitUntil(
      async () => {
        const op = (await call("GET", `/v1/operations/${operationId}`)).body;
        return FINISHED_OPERATION_STATUSES.includes(op?.status) ? op : undefined;
      },
      { timeout: 240_000, interval: 50, what: `operation ${operationId} to finish` },
    );

  return {
    baseUrl,
    env,
    workers,
    startWorker,
    async logs() {
      // The API writes its lines in batches: a request of our own, once its line is out, says
      // that every line before it is too.
      const marker = (await call("GET", "/healthz")).headers.get("x-request-id");
      if (!marker) throw new Error("GET /healthz answered without an x-request-id");
      await waitUntil(() => (api.output().includes(marker) ? true : undefined), {
        timeout: 10_000,
        what: "the API's request line for /healthz",
      });
      return [api, ...workers].map((p) => p.output()).join("");
    },
    teamName: team,
    adminToken,
    operatorToken,
    viewerToken,
    call,
    finished,
    async readyDatabase(name, spec = {}) {
      const created = await call("POST", "/v1/stacks", { kind: "pg-database", name, spec });
      if (created.status !== 202)
        throw new Error(`creating ${name} answered ${created.status}: ${JSON.stringify(created.body)}`);
      const op = await finished(created.body.operation.id);
      if (op.status !== "succeeded")
        throw new Error(`the first up of ${name} ended ${op.status}: ${op.error?.message ?? ""}`);
      const stack = await call("GET", `/v1/stacks/${created.body.stack.id}`);
      return { id: stack.body.id, role: stack.body.outputs.username };
    },
    async stop() {
      await Promise.all([api.stop(), ...workers.map((worker) => worker.stop())]);
      await database.drop();
      await dropTeamDatabases(engineServerUrl, team);
      // Best effort: a test may end with its Redis down; the next run's setup deletes them then.
      await dropQueueKeys(env.REDIS_URL, env.GANTRY_QUEUE_PREFIX).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
