// Secret envelopes in engine events are replaced, wherever they sit; everything else is kept.
import { describe, expect, it } from "vitest";
import { BLINDED, blindSecrets, isDebugTrace } from "../src/runner/blind.ts";

const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

describe("blindSecrets", () => {
  it("replaces every secret envelope and keeps the rest", () => {
    const event = {
      sequence: 3,
      resOutputsEvent: {
        metadata: {
          op: "update",
          old: {
            outputs: {
              name: "db",
              password: secret("hunter2-hunter2"),
              nested: [1, { key: secret({ a: 1 }) }],
            },
          },
          new: { inputs: { name: "db", connectionLimit: 6 } },
        },
      },
    };
    const blinded = blindSecrets(event);
    expect(JSON.stringify(blinded)).not.toContain("hunter2");
    expect(blinded.resOutputsEvent.metadata.old.outputs).toEqual({
      name: "db",
      password: BLINDED,
      nested: [1, { key: BLINDED }],
    });
    expect(blinded.resOutputsEvent.metadata.new).toEqual(event.resOutputsEvent.metadata.new);
    expect(blinded.sequence).toBe(3);
  });

  it("keeps objects that merely look similar", () => {
    const look = { "4dabf18193072939515e22adb298388d": "something else", value: "v" };
    expect(blindSecrets(look)).toEqual(look);
  });
});

describe("isDebugTrace", () => {
  it("marks the engine's debug diagnostics, not warnings or errors", () => {
    const diag = (severity: string) => ({ diagnosticEvent: { severity, message: "m" } });
    expect(isDebugTrace(diag("debug"))).toBe(true);
    for (const severity of ["info", "warning", "error"]) expect(isDebugTrace(diag(severity))).toBe(false);
    expect(isDebugTrace({})).toBe(false);
  });
});
