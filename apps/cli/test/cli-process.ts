// Runs the `gantry` command as a user does: its bin in a process of its own, configured only by
// GANTRY_URL / GANTRY_TOKEN and a config home of the test's own (never the user's config file).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/gantry.js", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliEnv {
  url?: string | undefined;
  token?: string | undefined;
  /** XDG_CONFIG_HOME: where the CLI looks for gantry/config.json. */
  configHome: string;
}

export function runCli(
  args: readonly string[],
  env: CliEnv,
  command: readonly string[] = [process.execPath, BIN],
) {
  const [program = process.execPath, ...before] = command;
  const child = spawn(program, [...before, ...args], {
    cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      XDG_CONFIG_HOME: env.configHome,
      ...(env.url ? { GANTRY_URL: env.url } : {}),
      ...(env.token ? { GANTRY_TOKEN: env.token } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
