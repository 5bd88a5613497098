import { Redis } from "ioredis";

/**
 * Redis connections of the worker. A BullMQ Worker needs `maxRetriesPerRequest: null` (it blocks
 * on Redis and must wait it out). Everything else — the relay adding jobs, promotions, checks —
 * fails fast while Redis is down (`failFast`): Postgres still holds the work, and the next sweep
 * hands it over, instead of commands piling up in memory.
 */
export function createRedis(url: string, options: { failFast?: boolean } = {}): Redis {
  return options.failFast
    ? new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : new Redis(url, { maxRetriesPerRequest: null });
}
