// Figure 7: the API and the drift schedule at fleet scale. 10,000 stacks and 100,000 operations
// (ten per stack) seeded with generate_series in a few statements; then list and get latency
// (autocannon, against Fastify's hello world in the same rounds) and the drift schedule's tick
// time (the worker's own enqueueDueDriftChecks, in this process, against the same database).
// The worker is stopped: nothing runs the operations the ticks queue.
import { createDb } from "@gantry/db";
import type pg from "pg";
import { enqueueDueDriftChecks } from "../../apps/worker/src/drift/schedule.ts";
import { startProcess } from "../../tests/e2e/processes.ts";
import type { Figure } from "../support/figure.ts";
import { startBenchGantry } from "../support/gantry.ts";
import { type LoadResult, load } from "../support/load.ts";
import { formatSpread, spread } from "../support/stats.ts";
import { relayRates } from "./fleet-relay.ts";

const STACKS = 10_000;
const OPERATIONS_PER_STACK = 10;
const CONNECTIONS = 10;
const DRIFT_INTERVAL_SECONDS = 3600;

export const fleet: Figure = {
  id: "fleet",
  title: "7. Fleet scale: 10,000 stacks, 100,000 operations",
  async run({ quick, log }) {
    const rounds = quick ? 2 : 5;
    const seconds = quick ? 3 : 10;
    const bench = await startBenchGantry();
    const hello = await startProcess("bench/baseline/hello-server.ts", {}, /listening on (\S+)/);
    await Promise.all(bench.gantry.workers.map((worker) => worker.stop()));
    const db = createDb(bench.gantry.env.DATABASE_URL ?? "", { poolSize: 2 });
    try {
      const seeded = performance.now();
      const stackId = await seed(bench.db);
      const seedSeconds = (performance.now() - seeded) / 1000;
      log(
        `fleet: seeded ${STACKS} stacks and ${STACKS * OPERATIONS_PER_STACK} operations in ${seedSeconds.toFixed(1)} s`,
      );

      const auth = { authorization: `Bearer ${bench.gantry.viewerToken}` };
      const api = bench.gantry.baseUrl;
      const helloUrl = /listening on (\S+)/.exec(hello.output())?.[1] ?? "";
      const targets: Record<string, () => Promise<LoadResult>> = {
        "hello world (baseline)": () => load({ url: helloUrl, seconds, connections: CONNECTIONS }),
        "GET /v1/stacks/:id": () =>
          load({ url: `${api}/v1/stacks/${stackId}`, headers: auth, seconds, connections: CONNECTIONS }),
        "GET /v1/stacks": () =>
          load({ url: `${api}/v1/stacks`, headers: auth, seconds, connections: CONNECTIONS }),
        "GET /v1/stacks?status=ready&limit=100": () =>
          load({
            url: `${api}/v1/stacks?status=ready&limit=100`,
            headers: auth,
            seconds,
            connections: CONNECTIONS,
          }),
      };
      const names = Object.keys(targets);
      const measured: Record<string, LoadResult[]> = Object.fromEntries(names.map((n) => [n, []]));
      for (let round = 0; round < rounds; round++) {
        const order = names.map((_, i) => names[(i + round) % names.length] as string);
        for (const name of order) measured[name]?.push(await (targets[name] as () => Promise<LoadResult>)());
        log(`fleet round ${round + 1}/${rounds}`);
      }

      // Drift ticks: the first ones give every stack its phase (500 a tick), then one with 500
      // checks due, then one with nothing due.
      const settings = { defaultIntervalSeconds: DRIFT_INTERVAL_SECONDS };
      const timed = async () => {
        const started = performance.now();
        const result = await enqueueDueDriftChecks(db, settings);
        return { ms: performance.now() - started, ...result };
      };
      const phasing = [];
      for (;;) {
        const tick = await timed();
        if (tick.phased === 0) break;
        phasing.push(tick);
      }
      await bench.db.query(
        `UPDATE stacks SET drift_next_check_at = now() - interval '1 second'
          WHERE id IN (SELECT id FROM stacks ORDER BY id LIMIT 500)`,
      );
      const queuing = await timed();
      const idle = await timed();
      const phasingMs = spread(phasing.map((t) => t.ms));

      const backlog = quick ? 2_000 : 10_000;
      const relay = await relayRates({
        pool: bench.db,
        db,
        databaseUrl: bench.gantry.env.DATABASE_URL ?? "",
        redisUrl: bench.gantry.env.REDIS_URL ?? "",
        operations: backlog,
        rounds: quick ? 2 : 3,
      });
      const relayRate = spread(relay.map((r) => r.relayPerSecond));
      const relayRatio = spread(relay.map((r) => r.relayPerSecond / r.barePerSecond));
      log(
        `fleet: relay ${relay.map((r) => `${r.relayPerSecond.toFixed(0)}/s (bare ${r.barePerSecond.toFixed(0)}/s)`).join(", ")}`,
      );

      const baseline = measured["hello world (baseline)"] ?? [];
      const rows = names.map((name) => {
        const results = measured[name] ?? [];
        return [
          name,
          formatSpread(spread(results.map((r) => r.requestsPerSecond)), 0),
          formatSpread(
            spread(results.map((r, i) => r.requestsPerSecond / (baseline[i]?.requestsPerSecond ?? 1))),
          ),
          formatSpread(spread(results.map((r) => r.p50Ms)), 0),
          formatSpread(spread(results.map((r) => r.p99Ms)), 0),
          String(results.reduce((n, r) => n + r.non2xx + r.errors, 0)),
        ];
      });
      return {
        headline:
          `GET /v1/stacks/:id ${rows[1]?.[2]}× hello world, GET /v1/stacks ${rows[2]?.[2]}×; drift tick: ` +
          `${phasingMs.median.toFixed(0)} ms phasing 500 stacks, ${queuing.ms.toFixed(0)} ms queuing ` +
          `${queuing.queued} checks, ${idle.ms.toFixed(0)} ms with none due; relay ` +
          `${relayRate.median.toFixed(0)} operations/s (${relayRatio.median.toFixed(2)}× BullMQ alone)`,
        table: [
          ["target", "req/s", "÷ hello world", "p50 (ms)", "p99 (ms)", "non-2xx + errors"],
          ...rows,
          ["drift tick, phasing 500 new stacks", "", "", formatSpread(phasingMs, 0), "", ""],
          [`drift tick, queuing ${queuing.queued} due checks`, "", "", queuing.ms.toFixed(0), "", ""],
          ["drift tick, nothing due", "", "", idle.ms.toFixed(0), "", ""],
          [
            `outbox relay, a backlog of ${backlog} accepted operations`,
            formatSpread(relayRate, 0),
            "",
            "",
            "",
            "",
          ],
          [
            "BullMQ alone, the same jobs in the relay's batches (baseline)",
            formatSpread(spread(relay.map((r) => r.barePerSecond)), 0),
            "",
            "",
            "",
            "",
          ],
          ["relay ÷ BullMQ alone (rate)", formatSpread(relayRatio), "", "", "", ""],
        ],
        notes: [
          `${STACKS} ready pg-database stacks of one team and ${OPERATIONS_PER_STACK} finished operations each, seeded in ${seedSeconds.toFixed(1)} s (generate_series).`,
          `${rounds} rounds of ${seconds} s per target, ${CONNECTIONS} connections; the drift ticks run once each (${phasing.length} phasing ticks).`,
          "Tick rows: milliseconds per tick (the p50 column), the worker's enqueueDueDriftChecks against the same database.",
          `Relay rows: operations per second (the req/s column) from a backlog of ${backlog} queued operations with their outbox rows (seeded in one statement, on random fleet stacks) to every row dispatched, by the worker's own relay in this process (its first drain, batches of 200: one read, one Redis round trip, one update each); baseline: the same jobs added to BullMQ directly in batches of 200. ${relay.length} rounds, alternating which goes first.`,
        ],
        data: { measured, phasing, queuing, idle, seedSeconds, relay },
      };
    } finally {
      await db.$disconnect();
      await hello.stop();
      await bench.stop();
    }
  },
};

/** The fleet, in three statements; returns one stack's id. */
async function seed(pool: pg.Pool): Promise<string> {
  const team = "(SELECT id FROM teams LIMIT 1)";
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO stacks (id, team_id, kind, name, spec, status, outputs, created_at, updated_at)
       SELECT gen_random_uuid(), ${team}, 'pg-database', 'fleet-' || n,
              '{"connectionLimit":20,"extensions":[]}', 'ready', '{"host":"127.0.0.1","port":5432}',
              now() - n * interval '1 second', now()
         FROM generate_series(1, $1::int) AS n
       RETURNING id`,
    [STACKS],
  );
  await pool.query(
    `INSERT INTO operations (id, team_id, stack_id, kind, status, spec, requested_by, created_at, started_at, finished_at)
       SELECT gen_random_uuid(), s.team_id, s.id, 'up', 'succeeded', s.spec, 'bench',
              s.created_at + g * interval '1 minute', s.created_at + g * interval '1 minute',
              s.created_at + g * interval '1 minute' + interval '5 seconds'
         FROM stacks s, generate_series(1, $1::int) AS g
        WHERE s.name LIKE 'fleet-%'`,
    [OPERATIONS_PER_STACK],
  );
  await pool.query("ANALYZE stacks; ANALYZE operations");
  const id = rows[Math.floor(rows.length / 2)]?.id;
  if (!id) throw new Error("no stacks were inserted");
  return id;
}
