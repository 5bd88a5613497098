// Redis keys of the queues tests create: each test gets a key prefix that names its run
// (test:<run pid>:<name>-<random>), deletes its keys when it ends, and the next run's global setup
// deletes those of runs that were killed before they could.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { alive, onThisMachine, testRun } from "./test-database.ts";

/** A BullMQ key prefix of this test run's own. */
export function testQueuePrefix(name: string): string {
  return `test:${testRun()}:${name}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix` (all its queues, jobs and schedulers). */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  await dropKeys(redisUrl, `${prefix}:*`, () => true);
}

/**
 * Deletes the test queue keys of runs (by the pid in their prefix) that are no longer alive. Only
 * on a Redis of this machine: a pid says nothing about another machine's runs.
 */
export async function dropAbandonedQueueKeys(redisUrl: string): Promise<void> {
  if (!onThisMachine(redisUrl)) return;
  await dropKeys(redisUrl, "test:*", (key) => !alive(Number(key.split(":")[1])));
}

async function dropKeys(redisUrl: string, match: string, drop: (key: string) => boolean): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
      cursor = next;
      const dropped = keys.filter(drop);
      if (dropped.length > 0) await redis.unlink(...dropped);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
