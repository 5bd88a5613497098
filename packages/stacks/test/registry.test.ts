// The registry's contract with the API: kinds as JSON Schema, spec parsing, change refusals.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRegistry, defineKind, getKind, listKinds, mergePatch, physicalName } from "../src/index.ts";

describe("listKinds", () => {
  const [pg] = listKinds();

  it("lists pg-database with its outputs and which are secret", () => {
    expect(pg?.name).toBe("pg-database");
    expect(pg?.dependsOn).toEqual([]);
    expect(pg?.outputs.filter((output) => output.secret).map((output) => output.name)).toEqual([
      "password",
      "connectionString",
    ]);
  });

  it("gives a JSON Schema with defaults, descriptions and examples", () => {
    const schema = pg?.specSchema as {
      type: string;
      additionalProperties: boolean;
      required?: string[];
      examples: unknown[];
      properties: Record<string, { default: unknown; description: string; examples: unknown[] }>;
    };
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.examples.length).toBeGreaterThan(0);
    expect(schema.properties.connectionLimit).toMatchObject({
      type: "integer",
      minimum: -1,
      maximum: 1000,
      default: 20,
    });
    expect(schema.properties.extensions).toMatchObject({ type: "array", default: [] });
    for (const property of Object.values(schema.properties)) {
      expect(property.description).toEqual(expect.any(String));
      expect(property.examples.length).toBeGreaterThan(0);
    }
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("finds kinds by name", () => {
    expect(getKind("pg-database")?.title).toBe("PostgreSQL database");
    expect(getKind("mainframe")).toBeUndefined();
  });
});

describe("createRegistry", () => {
  const versioned = defineKind({
    name: "versioned",
    title: "Versioned",
    description: "A kind whose version moves one step at a time.",
    specSchema: z.strictObject({ version: z.int().min(1).default(1), note: z.string().max(20).default("") }),
    dependsOn: [],
    outputs: [{ name: "version", description: "The version.", secret: false }],
    validateChange: (previous, next) =>
      next.version > previous.version + 1 || next.version < previous.version
        ? [{ path: "version", message: `can only move from ${previous.version} to ${previous.version + 1}` }]
        : [],
    engineEnv: () => ({}),
    program: async ({ spec }) => ({ version: spec.version }),
  });
  const registry = createRegistry([versioned]);

  it("asks the kind whether a change is allowed", () => {
    expect(registry.mergeSpec("versioned", { version: 1 }, { version: 2 })).toEqual({
      ok: true,
      spec: { version: 2, note: "" },
    });
    expect(registry.mergeSpec("versioned", { version: 1 }, { version: 3 })).toEqual({
      ok: false,
      issues: [{ path: "version", message: "can only move from 1 to 2" }],
    });
  });

  it("checks the merged spec before the change", () => {
    expect(registry.mergeSpec("versioned", { version: 1 }, { note: "x".repeat(21) })).toEqual({
      ok: false,
      issues: [{ path: "note", message: "must have at most 20 characters" }],
    });
  });

  it("refuses a kind registered twice or depending on an unknown kind", () => {
    expect(() => createRegistry([versioned, versioned])).toThrow(/registered twice/);
    expect(() => createRegistry([{ ...versioned, dependsOn: ["network"] }])).toThrow(
      /unknown kinds: network/,
    );
  });

  it("refuses kinds that depend on each other in a cycle (stacks of them could too)", () => {
    const a = { ...versioned, name: "a", dependsOn: ["b"] };
    const b = { ...versioned, name: "b", dependsOn: ["c"] };
    const c = { ...versioned, name: "c", dependsOn: ["a"] };
    expect(() => createRegistry([a, b, c])).toThrow("kinds depend on each other in a cycle: a → b → c → a");
    expect(() => createRegistry([{ ...versioned, dependsOn: ["versioned"] }])).toThrow(
      "cycle: versioned → versioned",
    );
    expect(() => createRegistry([a, b, { ...c, dependsOn: [] }])).not.toThrow();
  });

  it("holds programs to their declared outputs", async () => {
    const sloppy = defineKind({ ...versioned, program: async () => ({ version: 1, extra: 2 }) });
    await expect(
      sloppy.program({
        spec: { version: 1, note: "" },
        secretInputs: {},
        stack: { id: "s", name: "s", teamName: "t" },
        physicalName: "p",
        dependencies: [],
      }),
    ).rejects.toThrow(/undeclared: extra/);
  });
});

describe("mergePatch", () => {
  it("merges objects deeply, replaces arrays and scalars, removes nulls", () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null, e: { f: true } })).toEqual({
      a: { b: 1, c: [3] },
      e: { f: true },
    });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
    expect(mergePatch("x", { a: 1 })).toEqual({ a: 1 });
  });
});

describe("physicalName", () => {
  it("is deterministic, readable and a safe Postgres identifier", () => {
    const name = physicalName("payments", "orders-db");
    expect(name).toBe(physicalName("payments", "orders-db"));
    expect(name).toMatch(/^g_payments_orders_db_[0-9a-f]{10}$/);
  });

  it("keeps pairs apart that read the same", () => {
    expect(physicalName("a-b", "c")).not.toBe(physicalName("a", "b-c"));
    expect(physicalName("team", "x".repeat(63))).not.toBe(physicalName("team", `${"x".repeat(62)}y`));
  });

  it("stays within 63 characters of [a-z0-9_]", () => {
    for (const [team, stack] of [
      ["t".repeat(100), "s".repeat(63)],
      ["Ünïcödé Team", "a"],
      ["---", "---"],
    ] as const) {
      const name = physicalName(team, stack);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
    }
  });
});
