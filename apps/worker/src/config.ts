// Worker configuration, parsed once at start-up.
import { parseEnv } from "@gantry/core";
import { loadEngineSettings } from "@gantry/engine";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.string().min(1),
  LOG_LEVEL: z.string().default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_ID: z.string().max(100).optional(),
  /** Namespace of Gantry's keys in Redis (lets several deployments or test runs share a server). */
  GANTRY_QUEUE_PREFIX: z.string().min(1).max(50).default("gantry"),
});

export type WorkerConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const raw = parseEnv(schema, env);
  return {
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    logLevel: raw.LOG_LEVEL,
    concurrency: raw.WORKER_CONCURRENCY,
    workerId: raw.WORKER_ID ?? `worker-${process.pid}`,
    queuePrefix: raw.GANTRY_QUEUE_PREFIX,
    engine: loadEngineSettings(env),
  };
}
