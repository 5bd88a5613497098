// Starts one engine process per run (DESIGN: one Pulumi operation per OS process), relays its
// events and returns its result. Everything that leaves this module has known secrets removed.
import { type ChildProcess, fork } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Logger, redactSecrets } from "@gantry/core";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { failedRun, type RunnerMessage, type RunRequest, type RunResult } from "./protocol.ts";
import { killSession } from "./runner/session.ts";
import { type EngineSettings, engineEnvironment, engineSecrets } from "./settings.ts";

const RUNNER_ENTRY = fileURLToPath(new URL("./runner/main.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface RunHooks {
  onEvent?: (event: EngineEvent) => void;
  /** Called once the engine process is up and has the request (dispatch latency ends here). */
  onStarted?: (pid: number) => void;
  /** Aborting sends one SIGINT: the engine stops gracefully and the run ends as failed/cancelled. */
  signal?: AbortSignal;
  /**
   * Aborting ends the engine at once, CLI and plugins included (its whole session, SIGKILL): for a
   * run whose owner lost the guard of its stack, where another worker may take the stack over.
   */
  kill?: AbortSignal;
  logger?: Logger;
}

export type RunRequestInput = Omit<RunRequest, "type" | "secretsProvider" | "benchKinds">;

/** An engine process that has loaded the runner and waits for its one request. */
export interface EngineProcess {
  child: ChildProcess;
  /** Resolves with its pid once it has loaded (its "started" message). */
  started: Promise<number>;
  /** The tail of its stdout and stderr, for the error of a run it ended without a result. */
  output: string[];
  exited(): boolean;
}

/**
 * Forks an engine process for one kind's runs, with that kind's environment (engineEnvironment):
 * it loads that kind's program alone (runner/main.ts).
 */
export function forkEngine(env: Record<string, string>, kind: string): EngineProcess {
  const child = fork(RUNNER_ENTRY, [kind], {
    cwd: PACKAGE_DIR,
    // Node's own type stripping loads the sources, as in every Gantry process: no loader flags
    // (a spawned child would inherit the parent's, e.g. vitest's).
    execArgv: [],
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    // The engine process leads a session (and a process group) that the CLI and its plugins stay
    // in, so the whole run can be ended at once: it does so itself if this process dies
    // (runner/session.ts).
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const started = new Promise<number>((resolve) => {
    const onMessage = (message: RunnerMessage) => {
      if (message.type !== "started") return;
      child.off("message", onMessage);
      resolve(message.pid);
    };
    child.on("message", onMessage);
  });
  // A spare that dies unused must not take the worker down with an unhandled error.
  child.on("error", () => {});
  return { child, started, output, exited: () => child.exitCode !== null || child.signalCode !== null };
}

/** One run in a fresh engine process (DESIGN: one Pulumi operation per OS process). */
export async function runEngineProcess(
  request: RunRequestInput,
  settings: EngineSettings,
  hooks: RunHooks = {},
): Promise<RunResult> {
  return runWith(request, settings, hooks, forkEngine);
}

/**
 * Runs `request` in the engine process `take` hands over for the kind's environment (a fresh one,
 * or a spare started ahead: see warm-engine.ts). Everything that leaves here has known secrets removed.
 */
export async function runWith(
  request: RunRequestInput,
  settings: EngineSettings,
  hooks: RunHooks,
  take: (env: Record<string, string>, kind: string) => EngineProcess,
): Promise<RunResult> {
  await prepareDirectories(settings);
  const secrets = engineSecrets(settings);
  const clean = <T>(value: T): T => {
    const text = JSON.stringify(value);
    const redacted = redactSecrets(text, secrets);
    // Nearly every event holds no known secret: it is passed on as it came, not parsed again.
    return redacted === text ? value : (JSON.parse(redacted) as T);
  };
  let env: Record<string, string>;
  try {
    env = engineEnvironment(settings, request.stack.kind, request.spec);
  } catch (err) {
    // The platform lacks what this kind needs (e.g. AWS credentials): nothing to start.
    const message = clean((err as Error).message);
    return failedRun(message);
  }
  const engine = take(env, request.stack.kind);
  const { child, output } = engine;

  return new Promise<RunResult>((resolve, reject) => {
    let result: RunResult | undefined;
    // Cancel: one SIGINT; the engine process passes it to the CLI, which stops gracefully.
    const onAbort = () => child.kill("SIGINT");
    hooks.signal?.addEventListener("abort", onAbort, { once: true });
    // The engine leads its session (forkEngine: detached), so its pid is the session's id.
    const onKill = () => child.pid && killSession(child.pid);
    hooks.kill?.addEventListener("abort", onKill, { once: true });
    if (hooks.kill?.aborted) onKill();

    child.on("message", (message: RunnerMessage) => {
      if (message.type === "event") hooks.onEvent?.(clean(message.event));
      if (message.type === "result") result = clean(message.result);
    });
    child.on("error", reject);
    const ended = (code: number | null, signal: NodeJS.Signals | null) => {
      hooks.signal?.removeEventListener("abort", onAbort);
      hooks.kill?.removeEventListener("abort", onKill);
      if (result) return resolve(result);
      const tail = redactSecrets(output.join("").trim().split("\n").slice(-5).join("\n"), secrets);
      hooks.logger?.error({ code, signal, tail }, "engine process ended without a result");
      resolve(
        failedRun(
          `the engine process ended unexpectedly (${signal ?? `exit code ${code}`})${tail ? `: ${tail}` : ""}`,
          true,
        ),
      );
    };
    if (engine.exited()) return ended(child.exitCode, child.signalCode);
    child.on("exit", ended);
    void engine.started.then((pid) => {
      if (engine.exited()) return;
      child.send({
        ...request,
        type: "run",
        secretsProvider: settings.secretsProvider,
        benchKinds: settings.benchKinds ?? false,
      } satisfies RunRequest);
      hooks.onStarted?.(pid);
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
