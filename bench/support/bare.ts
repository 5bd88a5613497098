// Starts bare runs (bench/baseline/bare-run.ts): one fresh process per run, with exactly the
// environment Gantry's engine process gets for a pg-database run, timed from spawn to exit.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type EngineSettings, engineEnvironment, loadEngineSettings } from "@gantry/engine";
import type { BareRequest } from "../baseline/bare-run.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = "bench/baseline/bare-run.ts";

export interface BareRunner {
  /** Runs one verb in a fresh process; resolves with its wall time (ms), throws if it failed. */
  run(request: Omit<BareRequest, "secretsProvider" | "teamName">): Promise<number>;
  settings: EngineSettings;
}

/** `gantryEnv` is the environment Gantry's processes run with: same backend, passphrase, server. */
export function bareRunner(gantryEnv: Record<string, string>, teamName = "bare"): BareRunner {
  const settings = loadEngineSettings({ ...process.env, ...gantryEnv });
  const env = engineEnvironment(settings, "pg-database");
  return {
    settings,
    async run(request) {
      const full: BareRequest = { ...request, teamName, secretsProvider: settings.secretsProvider };
      const started = performance.now();
      const child = spawn(process.execPath, [ENTRY, JSON.stringify(full)], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      const elapsed = performance.now() - started;
      if (code !== 0)
        throw new Error(`bare ${request.verb} of ${request.stackName} failed: ${out.slice(-1500)}`);
      return elapsed;
    },
  };
}
