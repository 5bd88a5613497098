// Redaction of a stack's outputs: the allocation-free redactedOutputs against its plain
// definition (every stored value, secret names replaced, reported secrets added; the secret names
// in the outputs' key order), for any stored outputs and any reported and declared names.
import { SECRET_PLACEHOLDER } from "@gantry/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { declaredSecrets, redactedOutputs } from "../src/stacks/stack-view.ts";

function byDefinition(stored: Record<string, unknown>, reported: string[], declared: Set<string>) {
  const secret = new Set([...reported, ...declared]);
  const outputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored))
    outputs[name] = secret.has(name) ? SECRET_PLACEHOLDER : value;
  for (const name of reported) outputs[name] = SECRET_PLACEHOLDER;
  return { outputs, secretOutputs: Object.keys(outputs).filter((name) => secret.has(name)) };
}

// Few names, so that stored, reported and declared names meet; index-like ones among them.
const name = fc.constantFrom("host", "port", "password", "url", "0", "7", "token");

describe("redactedOutputs", () => {
  it("answers as its definition for any outputs and secret names", () => {
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.jsonValue()),
        fc.array(name, { maxLength: 4 }),
        fc.uniqueArray(name, { maxLength: 3 }),
        (stored, reported, declared) => {
          const expected = byDefinition(stored, reported, new Set(declared));
          const actual = redactedOutputs(stored, reported, new Set(declared));
          expect(actual).toEqual(expected);
          expect(Object.keys(actual.outputs)).toEqual(Object.keys(expected.outputs));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("redacts a declared secret stored by mistake, and shows no outputs for what is not an object", () => {
    expect(redactedOutputs({ host: "h", password: "oops" }, ["url"], new Set(["password"]))).toEqual({
      outputs: { host: "h", password: SECRET_PLACEHOLDER, url: SECRET_PLACEHOLDER },
      secretOutputs: ["password", "url"],
    });
    expect(redactedOutputs(null, [], new Set())).toEqual({ outputs: {}, secretOutputs: [] });
    expect(redactedOutputs(["x"], [], new Set())).toEqual({ outputs: {}, secretOutputs: [] });
  });
});

describe("declaredSecrets", () => {
  const kind = { outputs: [{ name: "host" }, { name: "password", secret: true }] };
  const kinds = { getKind: (n: string) => (n === "db" ? (kind as never) : undefined) };

  it("is the kind's secret outputs, one set per kind, and none for an unknown kind", () => {
    const first = declaredSecrets("db", kinds);
    expect([...first]).toEqual(["password"]);
    expect(declaredSecrets("db", kinds)).toBe(first);
    expect(declaredSecrets("nope", kinds).size).toBe(0);
  });
});
