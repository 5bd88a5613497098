import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { dropRepeats } from "../src/runner/event-sequence.ts";

const event = (sequence: number): EngineEvent => ({
  sequence,
  timestamp: 0,
  stdoutEvent: { message: "", color: "never" },
});

describe("dropRepeats", () => {
  it("passes each event once when the end of the log is read twice", () => {
    const seen: number[] = [];
    const onEvent = dropRepeats((e) => seen.push(e.sequence));
    for (const sequence of [1, 2, 3, 4, 3, 4]) onEvent(event(sequence));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("passes a log that starts at zero", () => {
    const seen: number[] = [];
    const onEvent = dropRepeats((e) => seen.push(e.sequence));
    for (const sequence of [0, 1]) onEvent(event(sequence));
    expect(seen).toEqual([0, 1]);
  });
});
