// The compiled response serializer answers exactly what the type provider's (zod's encode, then
// JSON.stringify) answered: the same string for every value zod accepts, an error for every value
// it refuses. Checked on the API's own response schemas, with valid answers and with valid answers
// broken at random (wrong types, missing and extra keys, odd objects).
import fc from "fast-check";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorBody } from "../src/http/common-schemas.ts";
import { serializerCompiler } from "../src/http/serialization.ts";
import { Operation } from "../src/operations/operations-schemas.ts";
import { Accepted, Stack, StackList } from "../src/stacks/stacks-schemas.ts";

type Serialize = (data: unknown) => string;

function both(schema: z.ZodType): { fast: Serialize; zod: Serialize } {
  const route = { schema, method: "GET", url: "/test", httpStatus: "200" };
  return {
    fast: serializerCompiler(route as never) as Serialize,
    zod: zodSerializerCompiler(route as never) as Serialize,
  };
}

function outcome(serialize: Serialize, data: unknown): { json: string } | { error: string } {
  try {
    return { json: serialize(data) };
  } catch (err) {
    return { error: (err as Error).name };
  }
}

const at = new Date("2026-12-07T06:00:00.000Z");
const operation = {
  id: "7c6f1f0e-8a52-4a43-9d2f-0d6f3f1b2a10",
  stackId: "2b1e9c4d-3f5a-4e6b-8c7d-9e0f1a2b3c4d",
  kind: "up",
  status: "succeeded",
  requestedBy: "gnt_abc (ci)",
  spec: { connectionLimit: 20, extensions: ["pgcrypto"] },
  summary: { create: 2, update: 0, replace: 0, delete: 0, same: 1 },
  diff: null,
  approval: {
    state: "approved",
    rule: "production",
    reason: null,
    plannedAt: at,
    expiresAt: null,
    decidedBy: "gnt_def",
    decidedAt: at,
    comment: "ok",
  },
  blueprintVersion: 2,
  cancelRequested: false,
  error: null,
  attempts: 1,
  retryAt: null,
  createdAt: at,
  startedAt: at,
  finishedAt: at,
};
const stack = {
  id: "2b1e9c4d-3f5a-4e6b-8c7d-9e0f1a2b3c4d",
  kind: "pg-database",
  name: "orders",
  status: "ready",
  spec: { connectionLimit: 20, extensions: ["pgcrypto"], nested: { a: [1, { b: null }] } },
  outputs: { host: "127.0.0.1", port: 5432, password: "[secret]" },
  secretOutputs: ["password"],
  driftStatus: "in_sync",
  driftCheckedAt: at,
  expiresAt: null,
  expiryBlockedReason: null,
  blueprintVersion: 2,
  dependsOn: [{ id: "d1", name: "net", kind: "test-app" }],
  managedBy: null,
  protected: false,
  lastOperation: operation,
  createdAt: at,
  updatedAt: at,
};

/** A copy of `value` with one change at a random place: a value replaced, a key removed or added. */
function broken(value: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    paths.push(path);
    if (node && typeof node === "object" && !(node instanceof Date))
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(value, []);
  const odd = fc.oneof(
    fc.anything(),
    fc.constantFrom(
      undefined,
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1.5,
      -0,
      new Date(Number.NaN),
      new Date(0),
      [],
      {},
      Object.create(null),
      JSON.parse('{"__proto__": {"x": 1}}'),
      { [Symbol("s")]: 1 },
      new Map(),
      () => "from a function",
      { toJSON: () => "from toJSON" },
      "",
      "up",
      "unknown-kind",
    ),
  );
  return fc
    .record({
      path: fc.constantFrom(...paths),
      change: fc.constantFrom("replace", "delete", "add"),
      odd,
      key: fc.constantFrom("extra", "id", "__proto__", "toString", "toJSON", "0"),
    })
    .map(({ path, change, odd: replacement, key }) => {
      const copy = structuredClone(value) as Record<string, unknown>;
      if (path.length === 0) return change === "replace" ? replacement : copy;
      const parent = path.slice(0, -1).reduce<Record<string, unknown>>((node, k) => node[k] as never, copy);
      const last = path.at(-1) as string;
      if (change === "replace") parent[last] = replacement;
      else if (change === "delete") delete parent[last];
      else if (parent[last] && typeof parent[last] === "object")
        Object.defineProperty(parent[last], key, { value: replacement, enumerable: true, writable: true });
      return copy;
    });
}

describe("the compiled response serializer", () => {
  it("answers valid answers exactly as zod's encode and JSON.stringify did", () => {
    for (const [schema, value] of [
      [Stack, stack],
      [StackList, { stacks: [stack, { ...stack, lastOperation: null, dependsOn: [] }], nextCursor: null }],
      [Accepted, { stack, operation }],
      [Operation, { ...operation, approval: null, diff: { steps: [{ op: "create" }] } }],
      [ErrorBody, { error: "not_found", message: "no such stack", requestId: "r1" }],
    ] as const) {
      const { fast, zod } = both(schema);
      expect(fast(value)).toBe(zod(value));
    }
  });

  it("drops what the schema does not name, as zod did", () => {
    const { fast } = both(Stack);
    const json = JSON.parse(
      fast({ ...stack, teamId: "t1", lastOperation: { ...operation, workerId: "w1" } }),
    );
    expect(json.teamId).toBeUndefined();
    expect(json.lastOperation.workerId).toBeUndefined();
    expect(Object.keys(json)).toEqual(Object.keys(Stack.shape));
  });

  it("refuses what zod refused, and answers the rest as zod did (random breakage)", () => {
    for (const [schema, value] of [
      [Stack, stack],
      [Accepted, { stack, operation }],
      [StackList, { stacks: [stack], nextCursor: "c" }],
    ] as const) {
      const { fast, zod } = both(schema);
      fc.assert(
        fc.property(broken(value), (data) => {
          expect(outcome(fast, data)).toEqual(outcome(zod, data));
        }),
        { numRuns: 800 },
      );
    }
  });

  it("stringifies a spec or outputs as zod's copy of it, odd objects included", () => {
    const { fast, zod } = both(Stack);
    const hidden = Object.defineProperty({ a: 1 }, "toJSON", { value: () => "hidden", enumerable: false });
    const getter = Object.defineProperty({ a: 1 }, "b", { get: () => 2, enumerable: true });
    const hiddenKey = Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
    for (const spec of [
      hidden,
      getter,
      hiddenKey,
      { toJSON: () => "own toJSON" },
      JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
      Object.assign(Object.create(null), { a: 1 }),
      { 2: "b", 1: "a", z: 0, y: 1 },
      { a: undefined, b: () => 1, c: Symbol("s") },
    ])
      expect(outcome(fast, { ...stack, spec })).toEqual(outcome(zod, { ...stack, spec }));
  });

  it("copies integers as zod's .int() checks them", () => {
    const { fast, zod } = both(z.object({ a: z.number().int(), b: z.int().nullable() }));
    const odd = [
      1,
      0,
      -0,
      1.5,
      2 ** 53,
      -(2 ** 53),
      2 ** 53 - 1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "1",
      null,
    ];
    for (const a of odd) for (const b of odd) expect(outcome(fast, { a, b })).toEqual(outcome(zod, { a, b }));
  });

  it("leaves the parts it does not compile to zod: checks, unions, literals, strict objects", () => {
    const schema = z.object({
      n: z.number().int().max(5),
      s: z.string().max(3),
      u: z.union([z.literal("a"), z.number()]),
      strict: z.strictObject({ x: z.string() }),
      d: z.number().default(7),
    });
    const { fast, zod } = both(schema);
    for (const data of [
      { n: 1, s: "abc", u: "a", strict: { x: "y" }, d: 1 },
      { n: 1.5, s: "abc", u: "a", strict: { x: "y" }, d: 1 },
      { n: 1, s: "abcd", u: "a", strict: { x: "y" }, d: 1 },
      { n: 1, s: "abc", u: "b", strict: { x: "y" }, d: 1 },
      { n: 1, s: "abc", u: 2, strict: { x: "y", z: 1 }, d: 1 },
      { n: 1, s: "abc", u: 2, strict: { x: "y" } },
    ])
      expect(outcome(fast, data)).toEqual(outcome(zod, data));
  });
});
