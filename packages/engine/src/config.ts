// Engine settings from the environment, shared by the API (reveal) and the worker (runs), so both
// read one state backend with one secrets provider. Secrets have no defaults: setup provides them.
import { parseEnv } from "@gantry/core";
import { z } from "zod";
import type { EngineSettings } from "./settings.ts";

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  /** Where Gantry keeps its own files (engine home, file state backend). */
  GANTRY_DATA_DIR: z.string().min(1),
  /** DIY state backend; default: a file backend under the data directory. */
  GANTRY_STATE_BACKEND_URL: z.string().min(1).optional(),
  GANTRY_SECRETS_PROVIDER: z.string().min(1).default("passphrase"),
  PULUMI_CONFIG_PASSPHRASE: z.string().min(8).optional(),
  /** Admin URL of the Postgres server that pg-database stacks live on; default: Gantry's own. */
  GANTRY_PG_SERVER_URL: z.string().min(1).optional(),
  PATH: z.string().min(1),
  /** Region of the AWS kinds (AWS_REGION, or AWS_DEFAULT_REGION as the AWS CLI reads it). */
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  /** Also run the benchmark-only kinds (bench-fanout); only the benchmark harness sets it. */
  GANTRY_BENCH_KINDS: z.enum(["true", "false"]).default("false"),
});

/** The AWS SDK's credential variables, passed to the engine as they are (see awsCredentials). */
const AWS_CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
] as const;

/**
 * AWS credentials as the worker was given them. Only a complete source counts: keys in pairs, a
 * profile, a web identity, or a container endpoint; anything less means "not configured".
 */
function awsCredentials(env: Record<string, string | undefined>): Record<string, string> | undefined {
  const has = (name: string) => Boolean(env[name]);
  const complete =
    (has("AWS_ACCESS_KEY_ID") && has("AWS_SECRET_ACCESS_KEY")) ||
    has("AWS_PROFILE") ||
    (has("AWS_ROLE_ARN") && has("AWS_WEB_IDENTITY_TOKEN_FILE")) ||
    has("AWS_CONTAINER_CREDENTIALS_FULL_URI") ||
    has("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  if (!complete) return undefined;
  return Object.fromEntries(
    AWS_CREDENTIAL_VARIABLES.flatMap((name) => (env[name] ? [[name, env[name]] as const] : [])),
  );
}

export function loadEngineSettings(env: Record<string, string | undefined> = process.env): EngineSettings {
  const raw = parseEnv(schema, env);
  if (raw.GANTRY_SECRETS_PROVIDER === "passphrase" && !raw.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error(
      "invalid configuration: PULUMI_CONFIG_PASSPHRASE is required with the passphrase secrets provider",
    );
  }
  const credentials = awsCredentials(env);
  const region = raw.AWS_REGION ?? raw.AWS_DEFAULT_REGION;
  return {
    aws: credentials && region ? { region, credentials } : undefined,
    backendUrl: raw.GANTRY_STATE_BACKEND_URL ?? `file://${raw.GANTRY_DATA_DIR}/state`,
    secretsProvider: raw.GANTRY_SECRETS_PROVIDER,
    passphrase: raw.PULUMI_CONFIG_PASSPHRASE,
    pulumiHome: `${raw.GANTRY_DATA_DIR}/pulumi-home`,
    path: raw.PATH,
    pgServerUrl: raw.GANTRY_PG_SERVER_URL ?? raw.DATABASE_URL,
    benchKinds: raw.GANTRY_BENCH_KINDS === "true",
  };
}
