// Engine settings from the environment, shared by the API (reveal) and the worker (runs), so both
// read one state backend with one secrets provider. Secrets have no defaults: setup provides them.
import { ConfigError, parseEnv } from "@gantry/core";
import { z } from "zod";
import { awsSettings } from "./aws-settings.ts";
import type { EngineSettings } from "./settings.ts";

const schema = z.object({
  /** Gantry's own database: read only to refuse engine settings that reuse its credentials. */
  DATABASE_URL: z.string().min(1).optional(),
  /** Where Gantry keeps its own files (engine home, file state backend). */
  GANTRY_DATA_DIR: z.string().min(1),
  /**
   * DIY state backend. Setup writes the default, Pulumi's Postgres backend in Gantry's database
   * with the role gantry_state (packages/db/src/state-store); unset (no setup): a file backend
   * under the data directory, which only this machine reaches.
   */
  GANTRY_STATE_BACKEND_URL: z.string().min(1).optional(),
  GANTRY_SECRETS_PROVIDER: z.string().min(1).default("passphrase"),
  PULUMI_CONFIG_PASSPHRASE: z.string().min(8).optional(),
  /**
   * Admin URL of the Postgres server pg-database stacks live on, with the engine's own role (setup
   * creates `gantry_engine`). Never Gantry's DATABASE_URL: the engine must not hold Gantry's keys.
   */
  GANTRY_PG_SERVER_URL: z.string().min(1).optional(),
  PATH: z.string().min(1),
  /**
   * Region of the AWS kinds (AWS_REGION, or AWS_DEFAULT_REGION as the AWS CLI reads it); with it,
   * the credential chain's variables and the worker's HOME (for ~/.aws) are read by awsSettings.
   */
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  /** Also run the benchmark-only kinds (bench-fanout); only the benchmark harness sets it. */
  GANTRY_BENCH_KINDS: z.enum(["true", "false"]).default("false"),
});

export function loadEngineSettings(env: Record<string, string | undefined> = process.env): EngineSettings {
  const raw = parseEnv(schema, env);
  if (raw.GANTRY_SECRETS_PROVIDER === "passphrase" && !raw.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error(
      "invalid configuration: PULUMI_CONFIG_PASSPHRASE is required with the passphrase secrets provider",
    );
  }
  refuseGantryCredentials(raw.DATABASE_URL, {
    GANTRY_PG_SERVER_URL: raw.GANTRY_PG_SERVER_URL,
    GANTRY_STATE_BACKEND_URL: raw.GANTRY_STATE_BACKEND_URL,
  });
  return {
    aws: awsSettings(env),
    backendUrl: raw.GANTRY_STATE_BACKEND_URL ?? `file://${raw.GANTRY_DATA_DIR}/state`,
    secretsProvider: raw.GANTRY_SECRETS_PROVIDER,
    passphrase: raw.PULUMI_CONFIG_PASSPHRASE,
    pulumiHome: `${raw.GANTRY_DATA_DIR}/pulumi-home`,
    path: raw.PATH,
    pgServerUrl: raw.GANTRY_PG_SERVER_URL,
    benchKinds: raw.GANTRY_BENCH_KINDS === "true",
  };
}

/**
 * The engine's database URLs (pg-database server, a postgres state backend) must use a role of
 * their own, never Gantry's: a run could otherwise read or change Gantry's tables and tokens.
 */
function refuseGantryCredentials(
  gantryUrl: string | undefined,
  engineUrls: Record<string, string | undefined>,
) {
  const gantry = loginOf(gantryUrl);
  if (!gantry) return;
  for (const [name, url] of Object.entries(engineUrls)) {
    const login = loginOf(url);
    if (login && login.user === gantry.user && login.server === gantry.server) {
      throw new ConfigError(
        `invalid configuration: ${name} logs in as Gantry's own database user "${login.user}"; ` +
          "give the engine a role of its own (setup creates gantry_engine)",
      );
    }
  }
}

function loginOf(url: string | undefined): { user: string; server: string } | undefined {
  if (!url || !/^postgres(ql)?:/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return {
      user: decodeURIComponent(parsed.username),
      server: `${parsed.hostname}:${parsed.port || "5432"}`,
    };
  } catch {
    return undefined;
  }
}
