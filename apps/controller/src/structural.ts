// A kind's spec JSON Schema (draft 2020-12, as `GET /v1/kinds` serves it) as a Kubernetes
// *structural* schema: every node typed, no $ref, no keywords the API server refuses, so that
// `kubectl explain` and the server's own validation and defaulting work. What cannot be said
// structurally (unions of objects, cross-field rules) is left to Gantry's validation of the spec,
// whose refusal shows as a Synced=False condition.

export type JsonSchema = Record<string, unknown>;

/** Keywords carried over as they are (OpenAPI v3 and JSON Schema agree on them). */
const KEPT = [
  "description",
  "default",
  "enum",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
] as const;

/**
 * `omit` names top-level fields left out (the secret inputs: never fields of a custom resource).
 */
export function toStructural(schema: JsonSchema, omit: readonly string[] = []): JsonSchema {
  const defs = (schema.$defs ?? schema.definitions ?? {}) as Record<string, JsonSchema>;
  const root = convert(schema, defs, 0);
  if (root.properties && omit.length > 0) {
    const properties = { ...(root.properties as Record<string, JsonSchema>) };
    for (const name of omit) delete properties[name];
    root.properties = properties;
    if (Array.isArray(root.required)) root.required = root.required.filter((n) => !omit.includes(n));
    if (Array.isArray(root.required) && root.required.length === 0) delete root.required;
  }
  return root;
}

function convert(input: JsonSchema, defs: Record<string, JsonSchema>, depth: number): JsonSchema {
  if (depth > 32) return { "x-kubernetes-preserve-unknown-fields": true };
  const schema = resolve(input, defs);
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) return convertUnion(schema, branches, defs, depth);
  if (Array.isArray(schema.allOf)) {
    const merged = (schema.allOf as JsonSchema[]).reduce<JsonSchema>(
      (acc, part) => mergeObjects(acc, resolve(part, defs)),
      withoutKey(schema, "allOf"),
    );
    return convert(merged, defs, depth + 1);
  }

  const out: JsonSchema = {};
  let type = schema.type;
  if (Array.isArray(type)) {
    if (type.includes("null")) out.nullable = true;
    type = type.find((t) => t !== "null");
  }
  if (schema.const !== undefined) {
    out.enum = [schema.const];
    type ??= jsonType(schema.const);
  }
  if (!type && Array.isArray(schema.enum)) type = jsonType(schema.enum[0]);
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  // draft 2020-12 gives the bound itself; OpenAPI v3.0 a flag on minimum/maximum.
  if (typeof schema.exclusiveMinimum === "number") {
    out.minimum = schema.exclusiveMinimum;
    out.exclusiveMinimum = true;
  }
  if (typeof schema.exclusiveMaximum === "number") {
    out.maximum = schema.exclusiveMaximum;
    out.exclusiveMaximum = true;
  }
  // The API server matches with Go's RE2, which has no lookaround; Gantry checks those itself.
  if (typeof schema.pattern === "string" && !/\(\?[=!<]|\\p\{/.test(schema.pattern))
    out.pattern = schema.pattern;

  switch (type) {
    case "object": {
      out.type = "object";
      const properties = schema.properties as Record<string, JsonSchema> | undefined;
      if (properties && Object.keys(properties).length > 0) {
        out.properties = Object.fromEntries(
          Object.entries(properties).map(([name, sub]) => [name, convert(sub, defs, depth + 1)]),
        );
        if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
      } else if (isSchema(schema.additionalProperties)) {
        out.additionalProperties = convert(schema.additionalProperties, defs, depth + 1);
      } else {
        out["x-kubernetes-preserve-unknown-fields"] = true;
      }
      break;
    }
    case "array":
      out.type = "array";
      out.items = isSchema(schema.items)
        ? convert(schema.items, defs, depth + 1)
        : { "x-kubernetes-preserve-unknown-fields": true };
      break;
    case "string":
    case "integer":
    case "number":
    case "boolean":
      out.type = type;
      break;
    default:
      // No type at all (e.g. z.unknown()): anything goes, and the server keeps it.
      return { ...pick(out, ["description"]), "x-kubernetes-preserve-unknown-fields": true };
  }
  return out;
}

/**
 * `X | null` becomes X nullable; a union of enums or of objects becomes one node that admits
 * every branch (the enums' values together, the objects' fields together).
 */
function convertUnion(
  schema: JsonSchema,
  branches: JsonSchema[],
  defs: Record<string, JsonSchema>,
  depth: number,
): JsonSchema {
  const resolved = branches.map((b) => resolve(b, defs));
  const nonNull = resolved.filter((b) => b.type !== "null");
  const nullable = nonNull.length < resolved.length;
  const rest = withoutKey(withoutKey(schema, "anyOf"), "oneOf");
  let merged: JsonSchema;
  if (nonNull.length === 1) merged = { ...nonNull[0], ...rest };
  else {
    const types = new Set(
      nonNull.map((b) => b.type ?? (b.const !== undefined ? jsonType(b.const) : undefined)),
    );
    if (types.size !== 1)
      return { ...pick(rest, ["description"]), "x-kubernetes-preserve-unknown-fields": true };
    // A field's default belongs to its branch: the API server would apply it whatever the branch
    // (e.g. fargate's `namespaces` on an autoMode compute), so merged branches keep none; Gantry
    // applies the right ones itself when it parses the spec.
    merged = nonNull.map(withoutFieldDefaults).reduce<JsonSchema>((acc, b) => mergeObjects(acc, b), rest);
    merged.type = [...types][0];
  }
  const out = convert(merged, defs, depth + 1);
  if (nullable) out.nullable = true;
  return out;
}

function withoutFieldDefaults(branch: JsonSchema): JsonSchema {
  const properties = branch.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return branch;
  return {
    ...branch,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, field]) => [name, withoutKey(field, "default")]),
    ),
  };
}

function mergeObjects(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...b, ...a };
  const values = [...enumOf(a), ...enumOf(b)];
  if (values.length > 0) {
    out.enum = [...new Set(values)];
    delete out.const;
  }
  if (a.properties || b.properties) {
    const pa = (a.properties ?? {}) as Record<string, JsonSchema>;
    const pb = (b.properties ?? {}) as Record<string, JsonSchema>;
    const properties: Record<string, JsonSchema> = { ...pb };
    for (const [name, sub] of Object.entries(pa))
      properties[name] = pb[name] ? mergeObjects(sub, pb[name]) : sub;
    out.properties = properties;
    // A field is required only when every branch requires it.
    const ra = (a.required ?? []) as string[];
    const rb = (b.required ?? []) as string[];
    const required = a.properties && b.properties ? ra.filter((n) => rb.includes(n)) : [...ra, ...rb];
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

function enumOf(s: JsonSchema): unknown[] {
  if (Array.isArray(s.enum)) return s.enum;
  return s.const !== undefined ? [s.const] : [];
}

function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 16; hops++) {
    const name = current.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    const target = defs[name];
    if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = { ...target, ...withoutKey(current, "$ref") };
  }
  return current;
}

function jsonType(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutKey(schema: JsonSchema, key: string): JsonSchema {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

function pick(schema: JsonSchema, keys: readonly string[]): JsonSchema {
  return Object.fromEntries(keys.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}
