// Waiting for operations to end: each followed over the API's live event stream (it ends the
// moment the operation does), with the progress line saying what each one is doing.
import { followOperationEvents, type GantryClient, type Operation, unwrap } from "@gantry/client";
import { CliError, EXIT } from "./exit-codes.ts";
import { startProgress } from "./progress.ts";
import { currentStep } from "./render-events.ts";

export interface Awaited {
  /** What the progress line calls it, e.g. the stack's name. */
  label: string;
  operationId: string;
}

export async function waitForOperations(
  client: GantryClient,
  targets: readonly Awaited[],
  options: { interactive: boolean; timeoutMs?: number | undefined },
): Promise<Operation[]> {
  const started = Date.now();
  const doing = new Map(targets.map((t) => [t.operationId, "waiting"]));
  const progress = startProgress(options.interactive, "waiting");
  const redraw = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const pending = targets.filter((t) => doing.has(t.operationId));
    const done = targets.length - pending.length;
    const what = pending.map((t) => `${t.label}: ${doing.get(t.operationId)}`).join(" · ");
    progress.update(`${done}/${targets.length} done (${seconds}s) ${what}`);
  };
  const ticker = options.interactive ? setInterval(redraw, 1000) : undefined;
  const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
  try {
    return await Promise.all(
      targets.map(async (t) => {
        await followOperationEvents(client, t.operationId, {
          ...(signal ? { signal } : {}),
          onEvent: (event) => {
            const step = currentStep(event);
            if (step) doing.set(t.operationId, step);
          },
        });
        doing.delete(t.operationId);
        redraw();
        return unwrap(client.GET("/v1/operations/{id}", { params: { path: { id: t.operationId } } }));
      }),
    );
  } catch (err) {
    if (signal?.aborted) {
      throw new CliError(
        `timed out after ${options.timeoutMs} ms waiting for operations to end`,
        EXIT.timeout,
      );
    }
    throw err;
  } finally {
    if (ticker) clearInterval(ticker);
    progress.stop();
  }
}

/** "10m", "90s", "1h", "500ms" or plain milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError(`not a duration: "${text}" (e.g. 90s, 10m, 1h)`, EXIT.usage);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "ms"] ?? 1;
  return Number(match[1]) * unit;
}
