// What every kind's published spec schema must offer a form renderer: a description for every
// field, and examples (the whole spec's and each field's, added to `base`) that the kind accepts.
import { expect } from "vitest";
import { listKinds, parseSpec } from "../../src/index.ts";

export function expectDocumentedSchema(kindName: string, base: Record<string, unknown> = {}): void {
  const summary = listKinds().find((kind) => kind.name === kindName);
  const schema = summary?.specSchema as {
    examples?: unknown[];
    properties: Record<string, { description?: string; examples?: unknown[] }>;
  };
  for (const [name, property] of Object.entries(schema.properties)) {
    expect(property.description, name).toBeTruthy();
    for (const example of property.examples ?? [])
      expect(
        parseSpec(kindName, { ...base, [name]: example }).ok,
        `${name}: ${JSON.stringify(example)}`,
      ).toBe(true);
  }
  expect(schema.examples?.length ?? 0).toBeGreaterThan(1);
  for (const example of schema.examples ?? []) expect(parseSpec(kindName, example).ok).toBe(true);
}
