// Gantry as the benchmark drives it: the e2e harness's real API and worker processes on a fresh
// database, plus a direct Postgres connection to watch operations end without HTTP polling.
import { randomBytes } from "node:crypto";
import { FINISHED_OPERATION_STATUSES } from "@gantry/core";
import pg from "pg";
import { type Gantry, startGantry, type WorkerProcess } from "../../tests/e2e/gantry.ts";
import { waitUntil } from "../../tests/support/wait.ts";

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
  /** Polls Postgres every few ms until the operation ended, whatever its outcome. */
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

  const finished = async (operationId: string, timeoutMs = 600_000) =>
    waitUntil(
      async () => {
        const { rows } = await db.query("SELECT id, status, error FROM operations WHERE id = $1", [
          operationId,
        ]);
        const row = rows[0];
        return row && FINISHED_OPERATION_STATUSES.includes(row.status)
          ? (row as FinishedOperation)
          : undefined;
      },
      { timeout: timeoutMs, interval: 10, what: `operation ${operationId}` },
    );

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
