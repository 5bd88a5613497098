// Gantry as the benchmark drives it: the e2e harness's real API and worker processes on a fresh
// database, plus a direct Postgres connection to watch operations end without HTTP polling.
import { randomBytes } from "node:crypto";
import { createLogger, EVENTS_CHANNEL, FINISHED_OPERATION_STATUSES } from "@gantry/core";
import { listen } from "@gantry/db";
import pg from "pg";
import { type Gantry, startGantry, type WorkerProcess } from "../../tests/e2e/gantry.ts";

export type { Gantry, WorkerProcess };

export interface FinishedOperation {
  id: string;
  status: string;
  error: { message: string } | null;
}

export interface BenchGantry {
  gantry: Gantry;
  db: pg.Pool;
  /** The team the tokens belong to (pg-database names derive from it). */
  teamName: string;
  /** POST /v1/stacks for a pg-database; resolves once it answered 202. */
  createStack(
    name: string,
    spec?: Record<string, unknown>,
  ): Promise<{ stackId: string; operationId: string }>;
  /** POST /v1/stacks/:id/operations; resolves once it answered 202. */
  request(stackId: string, kind: string, spec?: Record<string, unknown>): Promise<string>;
  /** Resolves once the operation ended, whatever its outcome (seen at its end's notification). */
  finished(operationId: string, timeoutMs?: number): Promise<FinishedOperation>;
  /** Same, but throws unless it succeeded. */
  succeeded(operationId: string, timeoutMs?: number): Promise<FinishedOperation>;
  /** Stops the worker processes and starts one with this extra environment (e.g. concurrency). */
  replaceWorkers(env?: Record<string, string>): Promise<WorkerProcess>;
  /** A stack name unique within this run. */
  name(prefix: string): string;
  stop(): Promise<void>;
}

export async function startBenchGantry(env: Record<string, string> = {}): Promise<BenchGantry> {
  const gantry = await startGantry(env);
  const databaseUrl = gantry.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("the e2e harness gave Gantry no DATABASE_URL");
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const teamName = gantry.teamName;
  let counter = 0;
  const run = randomBytes(2).toString("hex");

  const expect202 = (what: string, answer: { status: number; body: unknown }) => {
    if (answer.status !== 202)
      throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };

  const watcher = await watchOperations(db, databaseUrl);
  const { finished } = watcher;

  return {
    gantry,
    db,
    teamName,
    async createStack(name, spec = {}) {
      const answer = await gantry.call("POST", "/v1/stacks", { kind: "pg-database", name, spec });
      expect202(`creating ${name}`, answer);
      return { stackId: answer.body.stack.id, operationId: answer.body.operation.id };
    },
    async request(stackId, kind, spec) {
      const answer = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind, spec });
      expect202(`${kind} on ${stackId}`, answer);
      return answer.body.operation.id;
    },
    finished,
    async succeeded(operationId, timeoutMs) {
      const op = await finished(operationId, timeoutMs);
      if (op.status !== "succeeded")
        throw new Error(`operation ${operationId} ended ${op.status}: ${op.error?.message ?? ""}`);
      return op;
    },
    async replaceWorkers(extra = {}) {
      await Promise.all(gantry.workers.map((worker) => worker.stop()));
      return gantry.startWorker(extra);
    },
    name: (prefix) => `${prefix}-${run}-${++counter}`,
    async stop() {
      await watcher.stop();
      await db.end();
      await gantry.stop();
    },
  };
}

/** The look-up without a notification: a safety net, should one be missed (a reconnect). */
const SWEEP_MS = 500;

/**
 * `finished`: every operation waited on, looked up in one query when Gantry announces a change
 * to one of them (the run's end commits with a notification on EVENTS_CHANNEL, as each batch of
 * its events does), when a wait begins, and every SWEEP_MS. Polling every 10 ms had sent 100
 * queries a second for as long as a figure waited, Postgres and bench CPU the measured runs lacked
 * once their engines filled the cores (the bare side pays no such thing); a query per operation,
 * before that, thousands (README, Throughput).
 */
async function watchOperations(db: pg.Pool, databaseUrl: string) {
  const waiting = new Map<string, ((operation: FinishedOperation) => void)[]>();
  let lookup: Promise<void> | undefined;
  let again = false;
  const lookUp = async () => {
    try {
      const { rows } = await db.query<FinishedOperation>(
        "SELECT id, status, error FROM operations WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])",
        [[...waiting.keys()], FINISHED_OPERATION_STATUSES],
      );
      for (const row of rows) {
        for (const resolve of waiting.get(row.id) ?? []) resolve(row);
        waiting.delete(row.id);
      }
    } catch {
      // Looked up again at the next notification or sweep; a wait that never ends times out.
    }
  };
  // One look-up at a time; asked for during one, another follows it (it may have read too early).
  const check = () => {
    if (waiting.size === 0) return;
    if (lookup) {
      again = true;
      return;
    }
    lookup = lookUp().finally(() => {
      lookup = undefined;
      if (again) {
        again = false;
        check();
      }
    });
  };
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const listener = listen(
    databaseUrl,
    EVENTS_CHANNEL,
    (operationId) => {
      if (waiting.has(operationId)) check();
    },
    createLogger({ name: "bench-watch", level: "warn" }),
    { onListening: () => listening() },
  );
  await ready;
  const sweep = setInterval(check, SWEEP_MS);

  const finished = (operationId: string, timeoutMs = 600_000): Promise<FinishedOperation> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.set(
          operationId,
          (waiting.get(operationId) ?? []).filter((r) => r !== done),
        );
        if (waiting.get(operationId)?.length === 0) waiting.delete(operationId);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for operation ${operationId}`));
      }, timeoutMs);
      const done = (operation: FinishedOperation) => {
        clearTimeout(timer);
        resolve(operation);
      };
      waiting.set(operationId, [...(waiting.get(operationId) ?? []), done]);
      check();
    });
  return {
    finished,
    async stop() {
      clearInterval(sweep);
      await listener.stop();
    },
  };
}
