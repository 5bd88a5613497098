// Worker configuration, parsed once at start-up. Secrets have no defaults: setup provides them.
import { parseEnv } from "@gantry/core";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.string().min(1),
  LOG_LEVEL: z.string().default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_ID: z.string().max(100).optional(),
  /** Namespace of Gantry's keys in Redis (lets several deployments or test runs share a server). */
  GANTRY_QUEUE_PREFIX: z.string().min(1).max(50).default("gantry"),
  /** Where Gantry keeps its own files (engine home, file state backend). */
  GANTRY_DATA_DIR: z.string().min(1),
  /** DIY state backend; default: a file backend under the data directory. */
  GANTRY_STATE_BACKEND_URL: z.string().min(1).optional(),
  GANTRY_SECRETS_PROVIDER: z.string().min(1).default("passphrase"),
  PULUMI_CONFIG_PASSPHRASE: z.string().min(8).optional(),
  /** Admin URL of the Postgres server that pg-database stacks live on; default: Gantry's own. */
  GANTRY_PG_SERVER_URL: z.string().min(1).optional(),
  PATH: z.string().min(1),
});

export type WorkerConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const raw = parseEnv(schema, env);
  if (raw.GANTRY_SECRETS_PROVIDER === "passphrase" && !raw.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error("invalid configuration: PULUMI_CONFIG_PASSPHRASE is required with the passphrase secrets provider");
  }
  return {
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    logLevel: raw.LOG_LEVEL,
    concurrency: raw.WORKER_CONCURRENCY,
    workerId: raw.WORKER_ID ?? `worker-${process.pid}`,
    queuePrefix: raw.GANTRY_QUEUE_PREFIX,
    engine: {
      backendUrl: raw.GANTRY_STATE_BACKEND_URL ?? `file://${raw.GANTRY_DATA_DIR}/state`,
      secretsProvider: raw.GANTRY_SECRETS_PROVIDER,
      passphrase: raw.PULUMI_CONFIG_PASSPHRASE,
      pulumiHome: `${raw.GANTRY_DATA_DIR}/pulumi-home`,
      path: raw.PATH,
      pgServerUrl: raw.GANTRY_PG_SERVER_URL ?? raw.DATABASE_URL,
    },
  };
}
