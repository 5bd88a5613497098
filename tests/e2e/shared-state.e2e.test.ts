// Two workers that share no filesystem (a data directory each, as on two machines), only Gantry's
// Postgres and Redis: the stack's state lives in the Postgres state backend, so when the worker
// running an `up` is SIGKILLed mid-run, the other one recovers the operation (clearing the stale
// lock in the backend) and runs the stack's next `up`.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry, type WorkerProcess } from "./gantry.ts";
import { connectionLimitOf, holdRole } from "./pg-server.ts";
import { enginePids, livingInSession } from "./processes.ts";
import { stateLocks } from "./state-locks.ts";

let gantry: Gantry;
let db: pg.Client;
const machines: string[] = [];

beforeAll(async () => {
  gantry = await startGantry({ WORKER_LEASE_MS: "3000", WORKER_RECOVERY_INTERVAL_MS: "300" }, { workers: 0 });
  for (const name of ["a", "b"]) {
    const dataDir = await mkdtemp(join(tmpdir(), `gantry-machine-${name}-`));
    machines.push(dataDir);
    await gantry.startWorker({ GANTRY_DATA_DIR: dataDir });
  }
  db = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await gantry?.stop();
  await Promise.all(machines.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workerOf(operationId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ worker_id: string | null }>(
    "SELECT worker_id FROM operations WHERE id = $1",
    [operationId],
  );
  return rows[0]?.worker_id ?? undefined;
}

it("a worker on another machine recovers a killed run and takes the stack's next up", async () => {
  expect(gantry.env.GANTRY_STATE_BACKEND_URL).toMatch(/^postgres:\/\//);
  const stack = await gantry.readyDatabase(`shared-${randomBytes(3).toString("hex")}`, {
    connectionLimit: 10,
  });

  // The run changing the role's connection limit waits on the role's row inside the engine: it
  // holds the backend's lock and has a pending operation when its worker is killed.
  const hold = await holdRole(stack.role);
  const patched = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 11 } });
  expect(patched.status).toBe(202);
  const opId: string = patched.body.operation.id;
  await vi.waitFor(async () => expect(await hold.blocking()).toBe(true), { timeout: 120_000, interval: 50 });
  expect(await stateLocks(gantry)).toHaveLength(1);
  const runnerId = await workerOf(opId);
  const killed = gantry.workers.find((w) => w.workerId === runnerId);
  const survivor = gantry.workers.find((w) => w.workerId !== runnerId) as WorkerProcess;
  if (!killed) throw new Error(`operation ${opId} runs on no known worker (${runnerId})`);

  await killed.kill();
  await vi.waitFor(() => expect(enginePids(killed.output()).flatMap(livingInSession)).toEqual([]), {
    timeout: 30_000,
    interval: 20,
  });
  await hold.release();

  // The survivor recovers it (ended `interrupted`, or run again by itself and `succeeded`).
  const op = await gantry.finished(opId);
  expect(["interrupted", "succeeded"], JSON.stringify(op.error)).toContain(op.status);
  expect(await stateLocks(gantry)).toEqual([]);

  const next = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 12 } });
  await expectSucceeded(gantry, next.body.operation.id, "the next up");
  expect(await workerOf(next.body.operation.id)).toBe(survivor.workerId);
  expect(await connectionLimitOf(stack.role)).toBe(12);
  expect(await stateLocks(gantry)).toEqual([]);
  // Neither machine keeps state on its disk.
  for (const dir of machines) expect(existsSync(join(dir, "state")), dir).toBe(false);
}, 300_000);
