// Where the API is and which token to use, resolved once: a flag, else the environment
// (GANTRY_URL, GANTRY_TOKEN), else the config file (GANTRY_CONFIG, else
// $XDG_CONFIG_HOME/gantry/config.json, else ~/.config/gantry/config.json). This is the only
// module that reads the environment.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CliError, EXIT } from "./exit-codes.ts";

export interface Settings {
  url: string;
  token: string;
}

const ConfigFile = z.strictObject({
  url: z.url().optional(),
  token: z.string().min(1).optional(),
});

export function configFilePath(env: NodeJS.ProcessEnv): string {
  if (env.GANTRY_CONFIG) return env.GANTRY_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "gantry", "config.json");
}

function readConfigFile(path: string, explicit: boolean): z.output<typeof ConfigFile> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    // No file is fine unless GANTRY_CONFIG named one.
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !explicit) return {};
    throw new CliError(`cannot read the config file ${path}: ${(err as Error).message}`, EXIT.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`the config file ${path} is not JSON: ${(err as Error).message}`, EXIT.usage);
  }
  const result = ConfigFile.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CliError(
      `the config file ${path} is invalid: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
      EXIT.usage,
    );
  }
  return result.data;
}

/** The token has no flag: a command line is visible to every user of the machine (ps). */
export function resolveSettings(
  flags: { url?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const path = configFilePath(env);
  const file = readConfigFile(path, Boolean(env.GANTRY_CONFIG));
  const url = flags.url ?? env.GANTRY_URL ?? file.url;
  const token = env.GANTRY_TOKEN ?? file.token;
  if (!url) {
    throw new CliError(`no API address: pass --url, set GANTRY_URL, or put "url" in ${path}`, EXIT.usage);
  }
  if (!token) {
    throw new CliError(`no token: set GANTRY_TOKEN, or put "token" in ${path}`, EXIT.auth);
  }
  return { url, token };
}
