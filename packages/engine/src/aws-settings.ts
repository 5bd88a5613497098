// The AWS account of the AWS kinds, from the worker's environment (config.ts hands it over; nothing
// here reads process.env). The engine gets the settings of the AWS SDK's standard credential chain
// and finds the credentials itself before each run (runner/aws-credentials.ts): static keys, shared
// files and profiles, web identity, container credentials and instance metadata all work, as the
// Pulumi AWS provider (the Go SDK's chain) would find them in the same environment.
import { existsSync } from "node:fs";
import type { PlatformSettings } from "@gantry/stacks/specs";

type Env = Record<string, string | undefined>;

/** The worker's settings of the AWS SDK's credential chain, passed to the engine as they are. */
const AWS_CHAIN_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_SESSION_NAME",
  // STS answers web identity and assumed-role profiles: a private (VPC) endpoint must reach the engine.
  "AWS_ENDPOINT_URL_STS",
  "AWS_STS_REGIONAL_ENDPOINTS",
  "AWS_CA_BUNDLE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_V1_DISABLED",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  "AWS_METADATA_SERVICE_TIMEOUT",
  "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
] as const;

/**
 * The AWS settings of the platform, or undefined when the AWS kinds cannot run: no region, or no
 * credential source that could exist. Whether one really answers (an instance profile, a file's
 * profile) is known only by asking, which the engine does before each AWS run.
 */
export function awsSettings(env: Env): PlatformSettings["aws"] {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) return undefined;
  const files = sharedFiles(env);
  if (!namesSource(env, Object.values(files))) return undefined;
  const passed = AWS_CHAIN_VARIABLES.flatMap((name) => (env[name] ? [[name, env[name]] as const] : []));
  return { region, credentials: { ...Object.fromEntries(passed), ...files } };
}

/**
 * The shared config and credentials files, by explicit path: the engine's HOME is the Pulumi home
 * (settings.ts), so the SDKs' default `~/.aws` would be looked for there, not in the worker's home.
 */
function sharedFiles(env: Env): Record<string, string> {
  const home = env.HOME;
  const config = env.AWS_CONFIG_FILE || (home ? `${home}/.aws/config` : undefined);
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || (home ? `${home}/.aws/credentials` : undefined);
  return {
    ...(config ? { AWS_CONFIG_FILE: config } : {}),
    ...(credentials ? { AWS_SHARED_CREDENTIALS_FILE: credentials } : {}),
  };
}

/** Whether any source of the chain could answer; instance metadata could, unless it is disabled. */
function namesSource(env: Env, files: string[]): boolean {
  const has = (name: string) => Boolean(env[name]);
  return (
    (has("AWS_ACCESS_KEY_ID") && has("AWS_SECRET_ACCESS_KEY")) ||
    has("AWS_PROFILE") ||
    (has("AWS_ROLE_ARN") && has("AWS_WEB_IDENTITY_TOKEN_FILE")) ||
    has("AWS_CONTAINER_CREDENTIALS_FULL_URI") ||
    has("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
    files.some((file) => existsSync(file)) ||
    // As the Go SDK of the Pulumi AWS provider reads it: only "true" turns it off.
    !/^true$/i.test(env.AWS_EC2_METADATA_DISABLED ?? "false")
  );
}

/** The values among the AWS settings that must never be shown. */
export const AWS_SECRET_VARIABLES = [
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
] as const;
