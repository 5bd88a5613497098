// How a preview-only refresh's engine events become a drift report (the real engine's output is
// covered end to end in tests/e2e/drift.e2e.test.ts; these are the edges it does not reach).
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { driftedResources } from "../src/runner/drift.ts";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" };

function step(
  op: string,
  urn: string,
  old: Record<string, unknown>,
  now: Record<string, unknown>,
  diffs?: string[],
) {
  return {
    sequence: 1,
    timestamp: 0,
    resOutputsEvent: {
      metadata: {
        op,
        urn,
        type: "pulumi-nodejs:dynamic/postgres:Role",
        provider: "",
        old: { urn, type: "t", id: "x", parent: "", provider: "", inputs: {}, outputs: old },
        new: { urn, type: "t", id: "x", parent: "", provider: "", inputs: {}, outputs: now },
        ...(diffs ? { diffs } : {}),
      },
    },
  } as unknown as EngineEvent;
}

describe("drift from refresh events", () => {
  it("lists changed outputs with expected and actual values, leaving the engine's bookkeeping out", () => {
    const events = [
      step(
        "update",
        "urn:b",
        { connectionLimit: 5, __provider: "code-a", name: "n" },
        { connectionLimit: 3, __provider: "code-b", name: "n" },
      ),
      step("same", "urn:c", { a: 1 }, { a: 1 }),
      step("delete", "urn:a", { a: 1 }, {}),
    ];
    expect(driftedResources(events)).toEqual([
      { urn: "urn:a", type: "pulumi-nodejs:dynamic/postgres:Role", change: "deleted", properties: [] },
      {
        urn: "urn:b",
        type: "pulumi-nodejs:dynamic/postgres:Role",
        change: "changed",
        properties: [{ name: "connectionLimit", expected: 5, actual: 3 }],
      },
    ]);
  });

  it("blinds secret values, also inside objects, and honours diffs a provider reports", () => {
    const events = [
      step(
        "update",
        "urn:s",
        { password: SECRET, nested: { token: SECRET }, tags: ["a"] },
        {
          password: "[secret]",
          nested: { token: "plain-after-read" },
          tags: ["a"],
        },
        ["tags"],
      ),
    ];
    const [resource] = driftedResources(events);
    expect(resource?.properties).toEqual([
      { name: "nested", expected: "[secret]", actual: "[secret]" },
      { name: "tags", expected: ["a"], actual: ["a"] },
    ]);
    expect(JSON.stringify(resource)).not.toContain("ciphertext");
    expect(JSON.stringify(resource)).not.toContain("plain-after-read");
  });

  it("reports nothing for an update step whose outputs are equal", () => {
    expect(driftedResources([step("update", "urn:x", { a: 1 }, { a: 1 })])).toEqual([]);
  });
});
