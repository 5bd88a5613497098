// API configuration, parsed once at start-up; nothing else in the API reads process.env.
import { fileURLToPath } from "node:url";
import { parseEnv } from "@gantry/core";
import { z } from "zod";

const DEFAULT_POLICY_FILE = fileURLToPath(new URL("../../../config/platform-policy.json", import.meta.url));
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL("../../console/dist", import.meta.url));

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).max(255).default("127.0.0.1"),
  /** Port of the Prometheus endpoint (GET /metrics, no token); unset: not served. */
  API_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Where that port listens; by default where the API does (HOST). */
  API_METRICS_HOST: z.string().min(1).max(255).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  /** Requests each token may make per window, then 429 (public routes are not limited). */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /** The platform policy (JSON, see config/platform-policy.json). */
  GANTRY_POLICY_FILE: z.string().min(1).default(DEFAULT_POLICY_FILE),
  /** Also offer the benchmark-only kinds (bench-fanout); only the benchmark harness sets it. */
  /** The web console's static build, served at /ui (setup builds it into apps/console/dist). */
  GANTRY_CONSOLE_DIR: z.string().min(1).default(DEFAULT_CONSOLE_DIR),
  GANTRY_BENCH_KINDS: z.enum(["true", "false"]).default("false"),
  /** Seals secret input values for the worker (README, Secret inputs); the worker has the same. */
  GANTRY_SECRET_INPUT_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters")
    .optional(),
});

export interface ApiConfig {
  databaseUrl: string;
  port: number;
  host: string;
  metrics: { port: number; host: string } | undefined;
  logLevel: string;
  bodyLimit: number;
  policyFile: string;
  rateLimit: { max: number; windowMs: number };
  benchKinds: boolean;
  consoleDir: string;
  secretInputKey: Buffer | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const raw = parseEnv(schema, env);
  return {
    databaseUrl: raw.DATABASE_URL,
    port: raw.PORT,
    host: raw.HOST,
    metrics:
      raw.API_METRICS_PORT === undefined
        ? undefined
        : { port: raw.API_METRICS_PORT, host: raw.API_METRICS_HOST ?? raw.HOST },
    logLevel: raw.LOG_LEVEL,
    bodyLimit: raw.BODY_LIMIT,
    policyFile: raw.GANTRY_POLICY_FILE,
    rateLimit: { max: raw.RATE_LIMIT_MAX, windowMs: raw.RATE_LIMIT_WINDOW_MS },
    benchKinds: raw.GANTRY_BENCH_KINDS === "true",
    consoleDir: raw.GANTRY_CONSOLE_DIR,
    secretInputKey: raw.GANTRY_SECRET_INPUT_KEY ? Buffer.from(raw.GANTRY_SECRET_INPUT_KEY, "hex") : undefined,
  };
}
