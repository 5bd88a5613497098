// Worker configuration, parsed once at start-up.
import { ConfigError, parseEnv } from "@gantry/core";
import { loadEngineSettings } from "@gantry/engine";
import { z } from "zod";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.string().min(1),
  LOG_LEVEL: z.string().default("info"),
  /** Operations (each its own engine process) one worker runs at once, on different stacks. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_ID: z.string().max(100).optional(),
  /** Port of the worker's Prometheus endpoint (GET /metrics, no token); unset: not served. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).max(255).default("127.0.0.1"),
  /** Namespace of Gantry's keys in Redis (lets several deployments or test runs share a server). */
  GANTRY_QUEUE_PREFIX: z.string().min(1).max(50).default("gantry"),
  /** A running operation's lease; its worker renews it three times within this. */
  WORKER_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
  /** How often the worker looks for operations whose worker died. */
  WORKER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Runs an operation may have when it fails for a transient reason, the first included. */
  WORKER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  WORKER_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /** On SIGTERM: how long running operations may take to finish before they are cancelled. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /**
   * Keep one engine process per kind loaded ahead and hand it the next run (on; off only to
   * measure what it saves): loading the runner takes seconds, every one of them dispatch latency.
   */
  WORKER_WARM_ENGINE: flag.default(true),
  /** Store engine events (on; off only to measure what storing them costs). */
  GANTRY_STORE_EVENTS: flag.default(true),
  /** Seconds between drift checks of a stack without its own setting; 0 turns scheduled checks off. */
  GANTRY_DRIFT_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3600),
  /** How often the drift schedule looks for stacks that are due (the spread's granularity). */
  GANTRY_DRIFT_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How long an operation waits for an approval of its plan before it expires (README, Approvals). */
  GANTRY_APPROVAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(86_400),
  /** How often the expiry schedule looks for ephemeral stacks to warn of or destroy. */
  GANTRY_EXPIRY_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How long before an ephemeral stack's expiry its `stack.expiring` webhook goes out. */
  GANTRY_EXPIRY_WARN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(3600),
  /** How often running rollouts take their next step (README, Rollouts). */
  GANTRY_ROLLOUT_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** Comma-separated receivers of webhook notifications. */
  GANTRY_WEBHOOK_URLS: z.string().max(4000).optional(),
  /** Key of the HMAC-SHA256 signature of webhook bodies; required with GANTRY_WEBHOOK_URLS. */
  GANTRY_WEBHOOK_SECRET: z.string().min(16).max(200).optional(),
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
    metrics:
      raw.WORKER_METRICS_PORT === undefined
        ? undefined
        : { port: raw.WORKER_METRICS_PORT, host: raw.WORKER_METRICS_HOST },
    queuePrefix: raw.GANTRY_QUEUE_PREFIX,
    leaseMs: raw.WORKER_LEASE_MS,
    recoveryIntervalMs: raw.WORKER_RECOVERY_INTERVAL_MS,
    retry: { maxAttempts: raw.WORKER_MAX_ATTEMPTS, retryBaseMs: raw.WORKER_RETRY_BASE_MS },
    shutdownGraceMs: raw.WORKER_SHUTDOWN_GRACE_MS,
    storeEvents: raw.GANTRY_STORE_EVENTS,
    warmEngine: raw.WORKER_WARM_ENGINE,
    engine: loadEngineSettings(env),
    drift: {
      defaultIntervalSeconds: raw.GANTRY_DRIFT_INTERVAL_SECONDS,
      tickSeconds: raw.GANTRY_DRIFT_TICK_SECONDS,
    },
    approvalTtlMs: raw.GANTRY_APPROVAL_TTL_SECONDS * 1000,
    rolloutTickSeconds: raw.GANTRY_ROLLOUT_TICK_SECONDS,
    expiry: { tickSeconds: raw.GANTRY_EXPIRY_TICK_SECONDS, warnSeconds: raw.GANTRY_EXPIRY_WARN_SECONDS },
    webhooks: webhookConfig(raw.GANTRY_WEBHOOK_URLS, raw.GANTRY_WEBHOOK_SECRET),
  };
}

function webhookConfig(urls: string | undefined, secret: string | undefined) {
  const list = (urls ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter(Boolean);
  if (list.length === 0) return undefined;
  for (const url of list) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url))
      throw new ConfigError(
        "invalid configuration: GANTRY_WEBHOOK_URLS holds a value that is not an http(s) URL",
      );
  }
  if (!secret)
    throw new ConfigError(
      "invalid configuration: GANTRY_WEBHOOK_SECRET is required with GANTRY_WEBHOOK_URLS",
    );
  return { urls: list, secret };
}
