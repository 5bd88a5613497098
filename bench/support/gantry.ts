// Gantry as the benchmark drives it: the e2e harness's real API and worker processes on a fresh
// database, plus a direct Postgres connection to watch operations end without HTTP polling.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { FINISHED_OPERATION_STATUSES } from "@gantry/core";
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
  /** Resolves once the operation ended, whatever its outcome (Postgres is polled every 10 ms). */
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
  const db = new pg.Pool({ connectionString: gantry.env.DATABASE_URL, max: 4 });
  const teamName = gantry.teamName;
  let counter = 0;
  const run = randomBytes(2).toString("hex");

  const expect202 = (what: string, answer: { status: number; body: unknown }) => {
    if (answer.status !== 202)
      throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };

  const finished = watchOperations(db);

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
      await db.end();
      await gantry.stop();
    },
  };
}

/** How often the operations waited on are looked up: the figures time runs of seconds to the end. */
const POLL_MS = 10;

/**
 * `finished`: every operation waited on, watched by one query every POLL_MS. A query per operation
 * made a figure that waits on 50 at once (throughput) send thousands of queries a second, CPU
 * that the runs it measured lacked once their engines filled the cores (bare runs pay no such
 * thing): figure 4 at concurrency 2 took about a third longer for it (README, Throughput).
 */
function watchOperations(db: pg.Pool) {
  const waiting = new Map<string, ((operation: FinishedOperation) => void)[]>();
  let polling = false;
  const poll = async () => {
    polling = true;
    while (waiting.size > 0) {
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
        // Looked up again on the next round; a wait that never ends times out.
      }
      if (waiting.size > 0) await sleep(POLL_MS);
    }
    polling = false;
  };
  return (operationId: string, timeoutMs = 600_000): Promise<FinishedOperation> =>
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
      if (!polling) void poll();
    });
}
