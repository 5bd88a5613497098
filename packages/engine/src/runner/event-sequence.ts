// The Automation API reads engine events by tailing the CLI's event log with @logdna/tail-file.
// When the command ends, the tailer's last read can race a poll it had already scheduled, and both
// read the end of the log: the last events (the summary among them) arrive twice. Every engine event
// carries a sequence number that only grows within one CLI command, so a repeat is dropped here.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

/** Passes each event of one CLI command to `onEvent` once, in order; later copies are dropped. */
export function dropRepeats(onEvent: (event: EngineEvent) => void): (event: EngineEvent) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.sequence <= last) return;
    last = event.sequence;
    onEvent(event);
  };
}
