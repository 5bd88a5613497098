// The operations queue as the worker's tests use it: on the real Redis, under a prefix of the
// file's own, dropped with its keys after the file's tests.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { dropQueueKeys, testQueuePrefix } from "../../../tests/support/test-queues.ts";
import { OPERATIONS_QUEUE } from "../src/queue/catalog.ts";
import { createRedis } from "../src/queue/connection.ts";

export interface TestQueue {
  queue: Queue;
  redis: Redis;
  prefix: string;
}

/** beforeAll fills in the object it returns: read its fields in tests and hooks. */
export function useOperationsQueue(name: string): TestQueue {
  const context = { prefix: testQueuePrefix(name) } as TestQueue;
  beforeAll(() => {
    context.redis = createRedis(process.env.REDIS_URL ?? "");
    context.queue = new Queue(OPERATIONS_QUEUE, { connection: context.redis, prefix: context.prefix });
  });
  afterAll(async () => {
    await context.queue?.close();
    context.redis?.disconnect();
    await dropQueueKeys(process.env.REDIS_URL ?? "", context.prefix);
  });
  return context;
}
