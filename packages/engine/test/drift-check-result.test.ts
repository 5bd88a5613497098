// A drift check is only as good as the event log it reads its result from: a log that is missing,
// unparsable or unfinished is a failed check (drift status "error"), never "in sync". A stand-in
// `pulumi` (a real executable first on PATH) exits 0 and writes whatever log each case gives it.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftCheck } from "../src/runner/drift.ts";

const FAKE_PULUMI = `#!/bin/sh
while [ $# -gt 0 ]; do
  if [ "$1" = "--event-log" ]; then log="$2"; fi
  shift
done
if [ -n "$FAKE_PULUMI_EVENTS" ]; then cp "$FAKE_PULUMI_EVENTS" "$log"; fi
exit 0
`;

const SUMMARY = { sequence: 2, timestamp: 0, summaryEvent: { resourceChanges: { same: 2 } } };
const STEP = { sequence: 1, timestamp: 0, preludeEvent: { config: {} } };

let dir: string;
let savedPath: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-drift-log-"));
  await writeFile(join(dir, "pulumi"), FAKE_PULUMI);
  await chmod(join(dir, "pulumi"), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath}`;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_PULUMI_EVENTS;
  await rm(dir, { recursive: true, force: true });
});

/** Runs a drift check whose CLI leaves `log` as its event log (undefined: none at all). */
async function checkWithLog(name: string, log: string | undefined) {
  if (log === undefined) delete process.env.FAKE_PULUMI_EVENTS;
  else {
    process.env.FAKE_PULUMI_EVENTS = join(dir, `${name}.jsonl`);
    await writeFile(process.env.FAKE_PULUMI_EVENTS, log);
  }
  const workDir = await mkdtemp(join(dir, `${name}-`));
  const stack = { name: "dev" } as Stack;
  return driftCheck(stack, workDir, { onEvent: () => {}, signal: new AbortController().signal });
}

const lines = (...events: unknown[]) => `${events.map((event) => JSON.stringify(event)).join("\n")}\n`;

describe("a drift check's result", () => {
  it("is in sync when the log is complete and shows no drift", async () => {
    const result = await checkWithLog("complete", lines(STEP, SUMMARY));
    expect(result).toMatchObject({ ok: true, drift: [], summary: { same: 2 } });
  });

  it("is a failure when the CLI wrote no event log", async () => {
    await expect(checkWithLog("missing", undefined)).rejects.toThrow(
      "the drift check could not read its result: the CLI wrote no event log",
    );
  });

  it("is a failure when the log holds a line that is not JSON, without quoting it", async () => {
    const check = checkWithLog("garbled", `${JSON.stringify(STEP)}\n{"resOutputsEvent": "password=hunter2`);
    await expect(check).rejects.toThrow(
      "the drift check could not read its result: line 2 of its event log is not JSON",
    );
    await expect(check).rejects.not.toThrow(/hunter2/);
  });

  it("is a failure when the log ends before the summary (an empty log included)", async () => {
    for (const [name, log] of [
      ["unfinished", lines(STEP)],
      ["empty", ""],
    ] as const) {
      await expect(checkWithLog(name, log), name).rejects.toThrow(
        "the drift check could not read its result: its event log has no summary event",
      );
    }
  });
});
