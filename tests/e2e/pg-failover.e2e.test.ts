// The failover test: every client session of Gantry's database is cut (what a Postgres failover
// or restart does to its clients) at random points of real runs, again and again, with two
// workers. Each run that lost the session guarding its stack kills its engine, has the stack's
// state cleared and runs again by itself: every operation ends `succeeded` (or superseded by a
// newer change), none is lost, no stack is left locked, and the last spec is what is deployed.
// GANTRY_CUT_COUNT sets the number of cuts (default 20).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { changeEach, count as countRows, randomFaultPoint, reachFaultPoint } from "./chaos-rounds.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { connectionLimitOf } from "./pg-server.ts";

const CUTS = Number(process.env.GANTRY_CUT_COUNT ?? 20);
const STACKS = 2;

let gantry: Gantry;
let db: pg.Client;

const count = (sql: string, params: unknown[]) => countRows(db, sql, params);

/** Terminates every session of Gantry's database but the test's own; returns how many. */
async function cutEverySession(): Promise<number> {
  return count(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    [],
  );
}

beforeAll(async () => {
  gantry = await startGantry(
    { WORKER_CONCURRENCY: "2", WORKER_LEASE_MS: "3000", WORKER_RECOVERY_INTERVAL_MS: "300" },
    { workers: 2 },
  );
  db = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await gantry?.stop();
});

it(
  `runs every operation to success through ${CUTS} cuts of all of Gantry's database sessions`,
  async () => {
    const stacks = await Promise.all(
      Array.from({ length: STACKS }, (_, i) =>
        gantry.readyDatabase(`cut-${i}-${randomBytes(3).toString("hex")}`, { connectionLimit: 10 }),
      ),
    );
    const accepted: string[] = [];
    const cutToSuccessMs: number[] = [];
    let limit = 10;
    const lastLimit = new Map<string, number>();
    let sessionsCut = 0;

    for (let cut = 0; cut < CUTS; cut += 1) {
      const round = await changeEach(gantry, stacks, (stackId) => {
        limit += 1;
        lastLimit.set(stackId, limit);
        return limit;
      });
      accepted.push(...round);
      const cutPoint = randomFaultPoint();
      await reachFaultPoint(db, round, cutPoint);
      const cutAt = Date.now();
      sessionsCut += await cutEverySession();
      const ends = await Promise.all(round.map((id) => gantry.finished(id)));
      cutToSuccessMs.push(Date.now() - cutAt);
      for (const op of ends)
        expect({ status: op.status, error: op.error }).toEqual({ status: "succeeded", error: null });
      console.log(
        `cut ${cut + 1}/${CUTS} at event ${cutPoint}: round succeeded ${cutToSuccessMs.at(-1)} ms after the cut`,
      );
    }

    const ends = await Promise.all(accepted.map((id) => gantry.finished(id)));
    expect(ends.filter((op) => op.status !== "succeeded")).toEqual([]);
    const ranAgain = ends.filter((op) => op.attempts > 1).length;
    // The lost runs were run again, not failed: the cuts did reach runs.
    expect(ranAgain).toBeGreaterThan(0);
    const open = await count(
      "SELECT count(*)::int AS n FROM operations WHERE status IN ('queued', 'running')",
      [],
    );
    expect(open).toBe(0);

    // The last spec is deployed, and no stack is left locked: the next up runs once and succeeds
    // (a stale state lock would fail it, and the retry would show in its attempts).
    for (const stack of stacks) {
      expect(await connectionLimitOf(stack.role)).toBe(lastLimit.get(stack.id));
      limit += 1;
      const answer = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, {
        spec: { connectionLimit: limit },
      });
      const op = await gantry.finished(answer.body.operation.id);
      expect({ status: op.status, error: op.error, attempts: op.attempts }).toEqual({
        status: "succeeded",
        error: null,
        attempts: 1,
      });
      expect(await connectionLimitOf(stack.role)).toBe(limit);
    }

    const sorted = [...cutToSuccessMs].sort((a, b) => a - b);
    const figures = {
      cuts: CUTS,
      sessionsCut,
      accepted: accepted.length,
      lost: 0,
      ranAgainAfterACut: ranAgain,
      stacksLeftLocked: 0,
      cutToSuccessMs: { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
    };
    console.log(`pg-failover figures: ${JSON.stringify(figures)}`);
  },
  120_000 + CUTS * 40_000,
);
