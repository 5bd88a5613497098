import { type PlatformSettings, specRegistryFor } from "@gantry/stacks/specs";
import { AWS_SECRET_VARIABLES } from "./aws-settings.ts";
import { assertPluginsInstalled } from "./plugins.ts";

// How Gantry drives the pulumi CLI: where state lives, how secrets are encrypted, and the exact
// environment the engine gets. The CLI inherits its parent's environment, so the engine process
// is always started with an environment built here, never with the worker's own.

export interface EngineSettings {
  /** DIY backend URL: file://, s3://, or postgres:// where the CLI supports it. */
  backendUrl: string;
  /** Pulumi secrets provider: "passphrase" or a KMS URL (awskms://, hashivault://, …). */
  secretsProvider: string;
  /** Passphrase for the passphrase secrets provider. */
  passphrase?: string | undefined;
  /** Hex key sealing secret input values on their way to the engine (never in the engine's env). */
  secretInputKey?: string | undefined;
  /** Writable PULUMI_HOME (plugins, workspace metadata). */
  pulumiHome: string;
  /** PATH for the engine: must contain pulumi, pulumi-language-nodejs and the dynamic provider script. */
  path: string;
  /** The Postgres server behind the pg-database kind (the engine role's admin URL); absent: not offered. */
  pgServerUrl?: string | undefined;
  /** The AWS account of the AWS kinds; absent when no credential source is configured. */
  aws?: PlatformSettings["aws"];
  /** Whether the benchmark-only kinds may run (GANTRY_BENCH_KINDS). */
  benchKinds?: boolean;
}

/**
 * The environment of an engine process: only what a run of this kind needs. Throws, with a
 * message for the operation's error, when the platform lacks what the kind needs.
 */
export function engineEnvironment(
  settings: EngineSettings,
  kindName: string,
  /** The stack's spec as stored (target decides whether a workload needs AWS). */
  spec: unknown = {},
): Record<string, string> {
  const kind = specRegistryFor({ benchKinds: settings.benchKinds ?? false }).getKind(kindName);
  const env: Record<string, string> = {
    PATH: settings.path,
    // Not the worker's home, which may hold far more than a run needs (~/.pgpass, ~/.kube, ~/.ssh):
    // an AWS kind gets the shared AWS files by explicit path instead (aws-settings.ts).
    HOME: settings.pulumiHome,
    PULUMI_HOME: settings.pulumiHome,
    PULUMI_BACKEND_URL: settings.backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NODE_NO_WARNINGS: "1",
    ...kind?.engineEnv({ pgServerUrl: settings.pgServerUrl, aws: settings.aws }, spec),
  };
  // After the kind's own needs (credentials), which say more to a platform without the cloud at all.
  if (kind) assertPluginsInstalled(kind, spec, settings.pulumiHome, settings.path);
  if (settings.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = settings.passphrase;
  return env;
}

/** Values that must never appear in anything Gantry stores or returns. */
export function engineSecrets(settings: EngineSettings): string[] {
  const secrets: string[] = [];
  if (settings.pgServerUrl) {
    secrets.push(settings.pgServerUrl);
    const password = safePassword(settings.pgServerUrl);
    if (password) secrets.push(password);
  }
  // A postgres state backend's URL holds its role's password (and `pulumi login` prints the URL).
  const backendPassword = safePassword(settings.backendUrl);
  if (backendPassword) secrets.push(settings.backendUrl, backendPassword);
  if (settings.passphrase) secrets.push(settings.passphrase);
  if (settings.secretInputKey) secrets.push(settings.secretInputKey);
  for (const name of AWS_SECRET_VARIABLES) {
    const value = settings.aws?.credentials[name];
    if (value) secrets.push(value);
  }
  return secrets;
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
