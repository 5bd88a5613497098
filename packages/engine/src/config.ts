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
});

export function loadEngineSettings(env: Record<string, string | undefined> = process.env): EngineSettings {
  const raw = parseEnv(schema, env);
  if (raw.GANTRY_SECRETS_PROVIDER === "passphrase" && !raw.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error(
      "invalid configuration: PULUMI_CONFIG_PASSPHRASE is required with the passphrase secrets provider",
    );
  }
  return {
    backendUrl: raw.GANTRY_STATE_BACKEND_URL ?? `file://${raw.GANTRY_DATA_DIR}/state`,
    secretsProvider: raw.GANTRY_SECRETS_PROVIDER,
    passphrase: raw.PULUMI_CONFIG_PASSPHRASE,
    pulumiHome: `${raw.GANTRY_DATA_DIR}/pulumi-home`,
    path: raw.PATH,
    pgServerUrl: raw.GANTRY_PG_SERVER_URL ?? raw.DATABASE_URL,
  };
}
