// A preview whose event stream was cut short must never pass for a plan with fewer changes: the
// Automation API's tailer can lose the last lines of a command's event log, and approvals decide on
// these changes (runner/full-preview.ts).
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { previewInFull } from "../src/runner/full-preview.ts";
import { createChangeCollector } from "../src/runner/resource-changes.ts";

const DATABASE = "urn:pulumi:s::p::pulumi-nodejs:dynamic/postgres:Database::db";
const ROLE = "urn:pulumi:s::p::pulumi-nodejs:dynamic/postgres:Role::role";

const step = (sequence: number, urn: string, op: string): EngineEvent =>
  ({
    sequence,
    timestamp: 0,
    resourcePreEvent: {
      metadata: {
        op,
        urn,
        type: urn.split("::")[2],
        provider: "",
        old: { inputs: { connectionLimit: 8 }, outputs: {} },
        new: { inputs: { connectionLimit: 11 } },
        diffs: ["connectionLimit"],
      },
    },
  }) as unknown as EngineEvent;

const summary = (sequence: number, resourceChanges: Record<string, number>): EngineEvent =>
  ({ sequence, timestamp: 0, summaryEvent: { resourceChanges } }) as unknown as EngineEvent;

/** A preview's whole stream: the role stays, the database's connection limit changes. */
const whole = [step(1, ROLE, "same"), step(2, DATABASE, "update"), summary(3, { same: 1, update: 1 })];

function collected(events: EngineEvent[]) {
  const collector = createChangeCollector();
  for (const event of events) collector.push(event);
  return collector;
}

describe("the change collector", () => {
  it("takes a whole stream as the plan", () => {
    const collector = collected(whole);
    expect(collector.incomplete()).toBeUndefined();
    expect(collector.changes()).toEqual([
      expect.objectContaining({
        urn: DATABASE,
        op: "update",
        properties: [expect.objectContaining({ path: "connectionLimit", before: 8, after: 11 })],
      }),
    ]);
  });

  it("refuses a stream cut before its summary, which would read as no change at all", () => {
    const collector = collected(whole.slice(0, 1));
    expect(collector.changes()).toEqual([]);
    expect(collector.incomplete()).toMatch(/ended before the engine's summary/);
  });

  it("refuses a stream that lost a step its summary counts", () => {
    const collector = collected([whole[0], whole[2]] as EngineEvent[]);
    expect(collector.incomplete()).toMatch(/summary counts 1 update\(s\), the events show 0/);
  });

  it("counts a replacement's several steps as one replace, as the summary does", () => {
    const collector = collected([
      step(1, DATABASE, "create-replacement"),
      step(2, DATABASE, "replace"),
      step(3, DATABASE, "delete-replaced"),
      summary(4, { replace: 1 }),
    ]);
    expect(collector.incomplete()).toBeUndefined();
    expect(collector.changes().map((c) => c.op)).toEqual(["replace"]);
  });
});

describe("previewInFull", () => {
  it("previews again when the stream came up short, and passes every attempt's events on", async () => {
    const streams = [whole.slice(0, 2), whole];
    const logged: EngineEvent[] = [];
    const { result, changes } = await previewInFull(
      async (onEvent) => {
        const stream = streams.shift() ?? [];
        for (const event of stream) onEvent(event);
        return stream.length;
      },
      (event) => logged.push(event),
    );
    expect(result).toBe(3);
    expect(changes.map((c) => [c.urn, c.op])).toEqual([[DATABASE, "update"]]);
    expect(logged).toHaveLength(5);
  });

  it("fails, applying nothing, when every attempt comes up short", async () => {
    let attempts = 0;
    await expect(
      previewInFull(
        async (onEvent) => {
          attempts++;
          for (const event of whole.slice(0, 2)) onEvent(event);
        },
        () => undefined,
        2,
      ),
    ).rejects.toThrow(
      /could not be read in full after 2 attempts \(the events ended before the engine's summary\); nothing was applied/,
    );
    expect(attempts).toBe(2);
  });
});
