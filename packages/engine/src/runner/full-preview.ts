// A preview whose changes decide whether a change waits for an approval must be read in full. The
// Automation API reads a command's events by tailing its event log, and the tailer can stop before
// its last read lands (event-sequence.ts): the steps at the end of the log, and the summary after
// them, are then never seen. A plan missing a step would let a change no rule saw go through, so
// the events are checked against the summary; a preview read short runs again, and one that keeps
// coming up short fails the run before anything is applied.
import type { ResourceChange } from "@gantry/core";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { dropRepeats } from "./event-sequence.ts";
import { createChangeCollector } from "./resource-changes.ts";

export const PREVIEW_ATTEMPTS = 3;

/**
 * Runs `preview` (one CLI command, handed its event callback) until its events and summary agree.
 * Every attempt's events go on to `onEvent`, as the run's log.
 */
export async function previewInFull<T>(
  preview: (onEvent: (event: EngineEvent) => void) => Promise<T>,
  onEvent: (event: EngineEvent) => void,
  attempts = PREVIEW_ATTEMPTS,
): Promise<{ result: T; changes: ResourceChange[] }> {
  let short: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const collector = createChangeCollector();
    // Sequence numbers start again with each command: a fresh filter per attempt.
    const result = await preview(
      dropRepeats((event) => {
        collector.push(event);
        onEvent(event);
      }),
    );
    short = collector.incomplete();
    if (!short) return { result, changes: collector.changes() };
  }
  throw new Error(
    `the preview's changes could not be read in full after ${attempts} attempts (${short}); nothing was applied`,
  );
}
