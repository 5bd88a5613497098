// The kill test: a worker is SIGKILLed at random points of real runs, again and again, and a new
// one started each time. Afterwards nothing is stuck, nothing accepted is lost, no stack is left
// locked, and every stack takes a new `up`. The kill points are random (a random number of engine
// events into the round's runs, from "right after the request" on), reached by waiting on
// conditions, never by sleeping. GANTRY_KILL_COUNT sets the number of kills (default 20).
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { RUNS_DIR } from "../../packages/engine/src/runner/work-dirs.ts";
import { changeEach, count as countRows, randomFaultPoint, reachFaultPoint } from "./chaos-rounds.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { connectionLimitOf } from "./pg-server.ts";
import { enginePids, livingInSession } from "./processes.ts";
import { stateLocks } from "./state-locks.ts";

const KILLS = Number(process.env.GANTRY_KILL_COUNT ?? 20);
const STACKS = 3;

let gantry: Gantry;
let db: pg.Client;

const count = (sql: string, params: unknown[]) => countRows(db, sql, params);

beforeAll(async () => {
  gantry = await startGantry({
    WORKER_CONCURRENCY: "2",
    WORKER_LEASE_MS: "3000",
    WORKER_RECOVERY_INTERVAL_MS: "300",
  });
  db = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await gantry?.stop();
});

it(
  `recovers from ${KILLS} SIGKILLs of the worker at random points of real runs`,
  async () => {
    const stacks = await Promise.all(
      Array.from({ length: STACKS }, (_, i) =>
        gantry.readyDatabase(`chaos-${i}-${randomBytes(3).toString("hex")}`, { connectionLimit: 10 }),
      ),
    );
    const accepted: string[] = [];
    const recoveryMs: number[] = [];
    let limit = 10;

    for (let kill = 0; kill < KILLS; kill += 1) {
      const worker = gantry.workers.at(-1);
      if (!worker) throw new Error("no worker");
      const roundAt = Date.now();
      const round = await changeEach(gantry, stacks, () => {
        limit += 1;
        return limit;
      });
      accepted.push(...round);
      const killPoint = randomFaultPoint();
      await reachFaultPoint(db, round, killPoint);

      const killedAt = Date.now();
      const reachedMs = killedAt - roundAt;
      await worker.kill();
      // The worker's engine processes (each leading a session with the CLI and its plugins) die with it.
      await vi.waitFor(() => expect(enginePids(worker.output()).flatMap(livingInSession)).toEqual([]), {
        timeout: 30_000,
        interval: 20,
      });
      const enginesGoneMs = Date.now() - killedAt;
      await gantry.startWorker();
      const workerUpMs = Date.now() - killedAt;
      // Recovered: nothing is left running on behalf of the dead worker.
      await vi.waitFor(
        async () =>
          expect(
            await count(
              "SELECT count(*)::int AS n FROM operations WHERE status = 'running' AND worker_id = $1",
              [worker.workerId],
            ),
          ).toBe(0),
        { timeout: 120_000, interval: 20 },
      );
      recoveryMs.push(Date.now() - killedAt);
      console.log(
        `kill ${kill + 1}/${KILLS} at event ${killPoint} (reached in ${reachedMs} ms): recovered in ${recoveryMs.at(-1)} ms (engines gone ${enginesGoneMs}, worker up ${workerUpMs})`,
      );
    }

    // Every accepted operation ended: it ran (again, after a kill interrupted it and recovery
    // cleared its stack's state), or was superseded by a newer change. Only one killed in each of
    // its WORKER_MAX_ATTEMPTS runs may end interrupted. None failed, none is stuck.
    const ends = await Promise.all(accepted.map((id) => gantry.finished(id)));
    const byStatus = Object.groupBy(ends, (op: { status: string }) => op.status);
    for (const op of ends) {
      expect(["succeeded", "cancelled", "interrupted"], JSON.stringify(op.error)).toContain(op.status);
      if (op.status === "interrupted") {
        expect(op.error.message).toMatch(/Recovery cleared the stack's state lock/);
        expect(op.attempts).toBe(3);
      }
    }
    const reran = ends.filter((op) => op.status === "succeeded" && op.attempts > 1).length;
    const open = await count(
      "SELECT count(*)::int AS n FROM operations WHERE status IN ('queued', 'running')",
      [],
    );
    expect(open).toBe(0);
    // No state lock is left in the backend.
    expect(await stateLocks(gantry)).toEqual([]);

    // Every stack takes a new `up`, and the server has what it asked for.
    for (const stack of stacks) {
      limit += 1;
      const answer = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, {
        spec: { connectionLimit: limit },
      });
      const op = await gantry.finished(answer.body.operation.id);
      expect({ status: op.status, error: op.error }).toEqual({ status: "succeeded", error: null });
      expect(await connectionLimitOf(stack.role)).toBe(limit);
    }
    // Nor the work directories (and event logs) of the engines that were killed: runs sweep them.
    // Only this test's engines count: other files' engines may be ending right now.
    const ours = new Set(gantry.workers.flatMap((w) => enginePids(w.output())));
    const abandoned = readdirSync(RUNS_DIR).filter((name) => {
      const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
      return ours.has(pid) && livingInSession(pid).length === 0;
    });
    expect(abandoned).toEqual([]);

    const sorted = [...recoveryMs].sort((a, b) => a - b);
    const figures = {
      kills: KILLS,
      accepted: accepted.length,
      lost: 0,
      ranAgainAfterAKill: reran,
      outcomes: Object.fromEntries(
        Object.entries(byStatus).map(([status, ops]) => [status, ops?.length ?? 0]),
      ),
      killToRecoveryMs: { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
    };
    console.log(`crash-recovery figures: ${JSON.stringify(figures)}`);
  },
  120_000 + KILLS * 45_000,
);
