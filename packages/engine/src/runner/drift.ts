// Drift check: a preview-only refresh, which reads every resource back from where it lives and
// compares it with the state without writing anything. The Automation API of 3.163 cannot run
// one (its refresh() passes --yes with --preview-only, which the CLI refuses: "--yes and
// --preview-only cannot be used together"), so the CLI runs here directly, in the workspace the
// Automation API prepared and with this process's environment (the engine's, built by settings.ts).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import type { DriftedProperty, DriftedResource, RunResult } from "../protocol.ts";
import { BLINDED, blindSecrets } from "./blind.ts";
import { toChangeSummary } from "./summary.ts";

export async function driftCheck(
  stack: Stack,
  workDir: string,
  options: { onEvent: (event: EngineEvent) => void; signal: AbortSignal },
): Promise<RunResult> {
  const eventLog = join(workDir, "drift-events.jsonl");
  const args = ["refresh", "--preview-only", "--stack", stack.name, "--cwd", workDir];
  const outcome = await runCli(
    [...args, "--non-interactive", "--color", "never", "--event-log", eventLog],
    options.signal,
  );
  // The events are handed on after the run: a drift check is short, and the log is complete then.
  const log = await readEventLog(eventLog);
  for (const event of log.events) options.onEvent(event);
  if (outcome.code !== 0) {
    throw new Error(outcome.stderr.trim() || `pulumi refresh --preview-only ended with ${outcome.code}`);
  }
  // The log is the check's only result: without it (or without the summary a finished refresh
  // always writes last) nothing says the resources were read, so "no drift" cannot be concluded.
  if (log.problem) throw new Error(`the drift check could not read its result: ${log.problem}`);
  const summaryEvent = log.events.find((event) => event.summaryEvent)?.summaryEvent;
  if (!summaryEvent) {
    throw new Error("the drift check could not read its result: its event log has no summary event");
  }
  return {
    ok: true,
    summary: toChangeSummary(summaryEvent.resourceChanges),
    outputs: null,
    error: null,
    drift: driftedResources(log.events),
  };
}

/**
 * The drifted resources of a preview-only refresh's events. In this engine version a refresh step
 * carries no `diffs` and an empty `detailedDiff` (checked on the pg-database kind), so the changed
 * properties are the outputs that differ between the state (`old`) and what was read (`new`);
 * `diffs` is still honoured should a provider report it. A resource whose read finds nothing is a
 * `delete` step.
 */
export function driftedResources(events: readonly EngineEvent[]): DriftedResource[] {
  const drifted: DriftedResource[] = [];
  for (const event of events) {
    const step = event.resOutputsEvent?.metadata;
    if (!step) continue;
    if (step.op === "delete") {
      drifted.push({ urn: step.urn, type: step.type, change: "deleted", properties: [] });
    } else if (step.op === "update") {
      const properties = changedProperties(step.old?.outputs, step.new?.outputs, step.diffs);
      if (properties.length > 0)
        drifted.push({ urn: step.urn, type: step.type, change: "changed", properties });
    }
  }
  return drifted.sort((a, b) => a.urn.localeCompare(b.urn));
}

function changedProperties(
  expected: Record<string, unknown> = {},
  actual: Record<string, unknown> = {},
  reported: readonly string[] = [],
): DriftedProperty[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual), ...reported])];
  // "__provider" and its kin are the engine's bookkeeping, not properties of the resource.
  const properties = names
    .filter((name) => !name.startsWith("__"))
    .map((name) => ({ name, expected: blindSecrets(expected[name]), actual: blindSecrets(actual[name]) }))
    .filter((p) => reported.includes(p.name) || JSON.stringify(p.expected) !== JSON.stringify(p.actual));
  // A property that holds a secret on either side is named, but neither value is shown: a read
  // may return in plain text what the state keeps as a secret.
  return properties
    .map((p) =>
      holdsSecret(p.expected) || holdsSecret(p.actual) ? { ...p, expected: BLINDED, actual: BLINDED } : p,
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

function holdsSecret(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(JSON.stringify(BLINDED));
}

/** The events of the log the CLI wrote, and what kept any of them from being read. */
async function readEventLog(file: string): Promise<{ events: EngineEvent[]; problem?: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      events: [],
      problem: code === "ENOENT" ? "the CLI wrote no event log" : `its event log is unreadable (${code})`,
    };
  }
  const events: EngineEvent[] = [];
  const lines = text.split("\n").filter((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    try {
      events.push(JSON.parse(line) as EngineEvent);
    } catch {
      // Line numbers only: the line itself may hold a resource's values.
      return { events, problem: `line ${index + 1} of its event log is not JSON` };
    }
  }
  return { events };
}

/** Runs `pulumi` from PATH; aborting sends one SIGINT, the CLI's graceful stop. */
function runCli(args: string[], signal: AbortSignal): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    // PULUMI_DEBUG_COMMANDS unlocks --event-log, as the Automation API does for its own runs.
    const child = spawn("pulumi", args, {
      env: { ...process.env, PULUMI_DEBUG_COMMANDS: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const onAbort = () => child.kill("SIGINT");
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("close", (code) => {
      signal.removeEventListener("abort", onAbort);
      resolve({ code: code ?? 1, stderr });
    });
  });
}
