// Entry of an engine process: receives one RunRequest over IPC, runs it, streams engine events
// back, sends the result, exits. SIGINT asks the engine to stop gracefully (cancel).
import { loadKind } from "@gantry/stacks/engine";
import { failedRun, type RunnerMessage, type RunRequest } from "../protocol.ts";
import { NoAwsCredentialsError } from "./aws-credentials.ts";
import { blindSecrets, isDebugTrace } from "./blind.ts";
import { run } from "./run.ts";
import { killOwnSession } from "./session.ts";

const send = (message: RunnerMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

const abort = new AbortController();
process.on("SIGINT", () => abort.abort());
let finished = false;
// The worker owns this process, which leads a session of its own (spawn.ts) that the CLI, the
// language host and the providers stay in. If the channel closes before the run ends, the worker
// is gone (perhaps SIGKILLed): the whole session goes with it, so no engine outlives its worker.
// The state lock this leaves is cleared by the recovery of whichever worker finds the run dead.
process.on("disconnect", () => {
  if (!finished) killOwnSession();
});

process.once("message", async (request: RunRequest) => {
  const diagnostics: string[] = [];
  let exitCode = 0;
  try {
    const result = await run(request, {
      signal: abort.signal,
      onEvent: (event) => {
        const diag = event.diagnosticEvent;
        if (diag?.severity === "error") diagnostics.push(diag.message);
        if (!isDebugTrace(event)) void send({ type: "event", event: blindSecrets(event) });
      },
    });
    await send({ type: "result", result });
  } catch (err) {
    exitCode = 1;
    const message = describeFailure(err, diagnostics);
    await send({ type: "result", result: failedRun(message, isTransient(err, message)) });
  }
  finished = true;
  process.disconnect?.();
  process.exitCode = exitCode;
});

// The kind this process will run (spawn.ts passes it): its program is loaded before "started", so
// a spare hands its run a loaded program. A failed load is the run's to report, when it asks.
const kindName = process.argv[2];
if (kindName) await loadKind(kindName, { benchKinds: true }).catch(() => undefined);
void send({ type: "started", pid: process.pid });

/**
 * Failures worth another try: the stack locked by another run, network trouble, throttling and
 * service errors. A cancelled run, a program error or an invalid resource is not: it would fail again.
 */
const TRANSIENT =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|socket hang up|Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded|ServiceUnavailable|InternalFailure|\b50[234]\b|too many clients|the database system is (starting up|shutting down)/i;

function isTransient(err: unknown, message: string): boolean {
  if (abort.signal.aborted) return false;
  if ((err as Error)?.name === "ConcurrentUpdateError") return true;
  // Its message may name a refused connection (an absent metadata service): still no retry.
  if (err instanceof NoAwsCredentialsError) return false;
  return TRANSIENT.test(message);
}

/** The engine's own error diagnostics say what went wrong; the CLI's stderr dump does not. */
function describeFailure(err: unknown, diagnostics: string[]): string {
  // The engine reports some errors both on the resource and on the stack: say each once.
  const fromEngine = [...new Set(diagnostics.map((d) => d.trim()).filter(Boolean))];
  if (fromEngine.length > 0) return fromEngine.join("\n");
  const message = err instanceof Error ? err.message : String(err);
  const errorLines = message.split("\n").filter((line) => /^\s*error:/i.test(line));
  return (errorLines.length > 0 ? errorLines.join("\n") : message).trim().slice(0, 4000);
}
