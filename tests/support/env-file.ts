// Reads the environment that `scripts/gantry.sh setup` writes to <data dir>/env: NAME='value'
// lines (shell quoting, `'\''` for a quote) and a PATH line that puts GANTRY_PATH_PREFIX first.
import { readFileSync } from "node:fs";

export function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)='(.*)'$/.exec(line);
    if (match?.[1] && match[2] !== undefined) env[match[1]] = match[2].replaceAll(`'\\''`, "'");
  }
  return env;
}
