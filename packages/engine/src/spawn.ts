// Starts one engine process per run (DESIGN: one Pulumi operation per OS process), relays its
// events and returns its result. Everything that leaves this module has known secrets removed.
import { fork } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Logger, redactSecrets } from "@gantry/core";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { RunnerMessage, RunRequest, RunResult } from "./protocol.ts";
import { type EngineSettings, engineEnvironment, engineSecrets } from "./settings.ts";

const RUNNER_ENTRY = fileURLToPath(new URL("./runner/main.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface RunHooks {
  onEvent?: (event: EngineEvent) => void;
  /** Called once the engine process is up (dispatch latency ends here). */
  onStarted?: (pid: number) => void;
  /** Aborting sends one SIGINT: the engine stops gracefully and the run ends as failed/cancelled. */
  signal?: AbortSignal;
  logger?: Logger;
}

export async function runEngineProcess(
  request: Omit<RunRequest, "type" | "secretsProvider" | "benchKinds">,
  settings: EngineSettings,
  hooks: RunHooks = {},
): Promise<RunResult> {
  await prepareDirectories(settings);
  const secrets = engineSecrets(settings);
  const clean = <T>(value: T): T => JSON.parse(redactSecrets(JSON.stringify(value), secrets)) as T;
  let env: Record<string, string>;
  try {
    env = engineEnvironment(settings, request.stack.kind);
  } catch (err) {
    // The platform lacks what this kind needs (e.g. AWS credentials): nothing to start.
    const message = clean((err as Error).message);
    return { ok: false, summary: null, outputs: null, error: { message, retryable: false } };
  }

  return new Promise<RunResult>((resolve, reject) => {
    const child = fork(RUNNER_ENTRY, [], {
      cwd: PACKAGE_DIR,
      execArgv: ["--import", "tsx"],
      env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      // The engine process leads a process group that the CLI and its plugins join, so the whole
      // run can be ended at once, and ends itself with its group if this process dies (main.ts).
      detached: true,
    });
    let result: RunResult | undefined;
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);

    // Cancel: one SIGINT; the engine process passes it to the CLI, which stops gracefully.
    const onAbort = () => child.kill("SIGINT");
    hooks.signal?.addEventListener("abort", onAbort, { once: true });

    child.on("message", (message: RunnerMessage) => {
      switch (message.type) {
        case "started":
          child.send({
            ...request,
            type: "run",
            secretsProvider: settings.secretsProvider,
            benchKinds: settings.benchKinds ?? false,
          } satisfies RunRequest);
          hooks.onStarted?.(message.pid);
          break;
        case "event":
          hooks.onEvent?.(clean(message.event));
          break;
        case "result":
          result = clean(message.result);
          break;
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      hooks.signal?.removeEventListener("abort", onAbort);
      if (result) return resolve(result);
      const tail = redactSecrets(output.join("").trim().split("\n").slice(-5).join("\n"), secrets);
      hooks.logger?.error({ code, signal, tail }, "engine process ended without a result");
      resolve({
        ok: false,
        summary: null,
        outputs: null,
        error: {
          message: `the engine process ended unexpectedly (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ""}`,
          retryable: true,
        },
      });
    });
  });
}

/** The CLI expects its home and a file backend's directory to exist. */
async function prepareDirectories(settings: EngineSettings): Promise<void> {
  await mkdir(settings.pulumiHome, { recursive: true });
  if (settings.backendUrl.startsWith("file://")) {
    await mkdir(fileURLToPath(settings.backendUrl.split("?")[0] ?? settings.backendUrl), { recursive: true });
  }
}
