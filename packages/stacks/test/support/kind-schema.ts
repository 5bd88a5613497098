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
  expect(undocumentedFields(schema)).toEqual([]);
  for (const [name, property] of Object.entries(schema.properties)) {
    for (const example of property.examples ?? [])
      expect(
        parseSpec(kindName, { ...base, [name]: example }).ok,
        `${name}: ${JSON.stringify(example)}`,
      ).toBe(true);
  }
  expect(schema.examples?.length ?? 0).toBeGreaterThan(1);
  for (const example of schema.examples ?? []) expect(parseSpec(kindName, example).ok).toBe(true);
}

type JsonSchema = {
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

/** Paths of fields, at any depth (list items, union branches), that have no description. */
function undocumentedFields(schema: JsonSchema, path = ""): string[] {
  const nested = (child: JsonSchema | undefined, at: string) => (child ? undocumentedFields(child, at) : []);
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const at = path ? `${path}.${name}` : name;
    const described = property.description || property.oneOf?.every((branch) => branch.description);
    return [...(described ? [] : [at]), ...undocumentedFields(property, at)];
  });
  return [
    ...own,
    ...nested(schema.items, `${path}[]`),
    ...(schema.oneOf ?? []).flatMap((branch) => undocumentedFields(branch, path)),
    ...(schema.anyOf ?? []).flatMap((branch) => undocumentedFields(branch, path)),
    ...(typeof schema.additionalProperties === "object"
      ? nested(schema.additionalProperties, `${path}.*`)
      : []),
  ];
}
