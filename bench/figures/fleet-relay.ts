// Part of figure 7: the outbox relay's sustained accept rate at fleet scale. A backlog of accepted
// operations (queued, each with its outbox row, as the API writes them) is drained into BullMQ by
// the worker's own relay, run in this process against the fleet's database; baseline: the same
// number of jobs added to BullMQ directly, in the relay's batches, with no database at all.
import { createLogger, type Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import { Queue } from "bullmq";
import type pg from "pg";
import { startOutboxRelay } from "../../apps/worker/src/outbox/relay.ts";
import { addRunJobs, OPERATIONS_QUEUE } from "../../apps/worker/src/queue/catalog.ts";
import { createRedis } from "../../apps/worker/src/queue/connection.ts";
import { waitUntil } from "../../tests/support/wait.ts";

const RELAY_BATCH = 200;

export interface RelayRound {
  relayPerSecond: number;
  barePerSecond: number;
}

export async function relayRates(options: {
  pool: pg.Pool;
  db: Db;
  databaseUrl: string;
  redisUrl: string;
  operations: number;
  rounds: number;
}): Promise<RelayRound[]> {
  const { pool, operations } = options;
  const logger = createLogger({ name: "bench-relay", level: "warn" });
  const redis = createRedis(options.redisUrl);
  const rounds: RelayRound[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      const prefix = `bench-relay-${process.pid}-${round}`;
      const relayQueue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix: `${prefix}-relay` });
      const bareQueue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix: `${prefix}-bare` });
      try {
        const ids = await acceptBacklog(pool, operations);
        // Alternating which side goes first, so neither always meets a cold Redis.
        const relay = () => timed(() => drainWithRelay(options, relayQueue, logger, operations));
        const bare = () => timed(() => addDirectly(bareQueue, ids));
        let relaySeconds: number;
        let bareSeconds: number;
        if (round % 2 === 0) {
          relaySeconds = await relay();
          bareSeconds = await bare();
        } else {
          bareSeconds = await bare();
          relaySeconds = await relay();
        }
        rounds.push({ relayPerSecond: operations / relaySeconds, barePerSecond: operations / bareSeconds });
      } finally {
        await Promise.all([relayQueue.obliterate({ force: true }), bareQueue.obliterate({ force: true })]);
        await Promise.all([relayQueue.close(), bareQueue.close()]);
      }
    }
  } finally {
    redis.disconnect();
  }
  return rounds;
}

/** `count` queued previews on the fleet's stacks, each with its outbox row, in one statement. */
async function acceptBacklog(pool: pg.Pool, count: number): Promise<string[]> {
  // What the drift ticks queued before is not part of the backlog (the worker is stopped).
  await pool.query("UPDATE outbox SET dispatched_at = now() WHERE dispatched_at IS NULL");
  const { rows } = await pool.query<{ id: string }>(
    `WITH accepted AS (
       INSERT INTO operations (id, team_id, stack_id, kind, status, spec, requested_by, created_at)
       SELECT gen_random_uuid(), s.team_id, s.id, 'preview', 'queued', s.spec, 'bench-relay', now()
         FROM stacks s WHERE s.name LIKE 'fleet-%' ORDER BY random() LIMIT $1
       RETURNING id)
     INSERT INTO outbox (operation_id) SELECT id FROM accepted RETURNING operation_id AS id`,
    [count],
  );
  return rows.map((row) => row.id);
}

async function drainWithRelay(
  options: { db: Db; databaseUrl: string; pool: pg.Pool },
  queue: Queue,
  logger: Logger,
  operations: number,
): Promise<void> {
  // Its first drain starts at once; the orphan sweep stays out of the measurement.
  const relay = startOutboxRelay({
    db: options.db,
    queue,
    databaseUrl: options.databaseUrl,
    logger,
    orphanSweepIntervalMs: 3_600_000,
  });
  try {
    await waitUntil(
      async () => {
        const { rows } = await options.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL",
        );
        return rows[0]?.n === 0 ? true : undefined;
      },
      { timeout: 600_000, interval: 10, what: "the relay to dispatch the backlog" },
    );
    const queued = await queue.getJobCountByTypes("wait", "prioritized", "delayed");
    if (queued < operations) throw new Error(`the relay queued ${queued} jobs of ${operations}`);
  } finally {
    await relay.stop();
  }
}

async function addDirectly(queue: Queue, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += RELAY_BATCH)
    await addRunJobs(
      queue,
      ids.slice(i, i + RELAY_BATCH).map((operationId) => ({ operationId })),
    );
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}
