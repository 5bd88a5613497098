import { Redis } from "ioredis";

/** BullMQ needs maxRetriesPerRequest: null on its connections (blocking commands). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
