// Entry of an engine process: receives one RunRequest over IPC, runs it, streams engine events
// back, sends the result, exits. SIGINT asks the engine to stop gracefully (cancel).
import type { OperationError } from "@gantry/core";
import type { RunnerMessage, RunRequest } from "../protocol.ts";
import { blindSecrets, isDebugTrace } from "./blind.ts";
import { run } from "./run.ts";

const send = (message: RunnerMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

const abort = new AbortController();
process.on("SIGINT", () => abort.abort());
// The worker owns this process: if the channel closes, the worker is gone and so is the run.
process.on("disconnect", () => abort.abort());

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
    const error: OperationError = { message: describeFailure(err, diagnostics), retryable: false };
    await send({ type: "result", result: { ok: false, summary: null, outputs: null, error } });
  }
  process.disconnect?.();
  process.exitCode = exitCode;
});

void send({ type: "started", pid: process.pid });

/** The engine's own error diagnostics say what went wrong; the CLI's stderr dump does not. */
function describeFailure(err: unknown, diagnostics: string[]): string {
  // The engine reports some errors both on the resource and on the stack: say each once.
  const fromEngine = [...new Set(diagnostics.map((d) => d.trim()).filter(Boolean))];
  if (fromEngine.length > 0) return fromEngine.join("\n");
  const message = err instanceof Error ? err.message : String(err);
  const errorLines = message.split("\n").filter((line) => /^\s*error:/i.test(line));
  return (errorLines.length > 0 ? errorLines.join("\n") : message).trim().slice(0, 4000);
}
