// What `apply` sends for a stack that exists: the JSON Merge Patch (RFC 7396, which PATCH takes)
// from the stored spec to the file's, or nothing when they already agree. The stored spec has the
// kind's defaults filled in, so a field the file leaves out is a change only when its stored value
// is not the default (the patch then sends null, which restores the default).

/** The stored form of a secret input: its value is never shown, so it cannot be compared. */
const SECRET_SET = "[set]";

type JsonObject = Record<string, unknown>;

/** A JSON Schema node, as `GET /v1/kinds` gives a kind's spec schema; only what this reads. */
interface SchemaNode {
  default?: unknown;
  properties?: Record<string, SchemaNode>;
}

export function mergePatch(
  stored: JsonObject,
  desired: JsonObject,
  schema: SchemaNode | undefined,
): JsonObject | undefined {
  const patch: JsonObject = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = stored[key];
    const sub = schema?.properties?.[key];
    if (isObject(want) && isObject(have)) {
      const inner = mergePatch(have, want, sub);
      if (inner) patch[key] = inner;
    } else if (have === SECRET_SET && typeof want === "string") {
      // Unknowable: a secret input the file gives is taken to be the one stored (README: apply).
    } else if (!deepEqual(have, want)) {
      patch[key] = want;
    }
  }
  for (const [key, have] of Object.entries(stored)) {
    if (key in desired) continue;
    const fallback = schema?.properties?.[key]?.default;
    if (fallback !== undefined && deepEqual(have, fallback)) continue;
    if (fallback === undefined && isObject(have) && allDefaults(have, schema?.properties?.[key])) continue;
    patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** An object whose every field holds its default (a nested object the kind fills in whole). */
function allDefaults(value: JsonObject, schema: SchemaNode | undefined): boolean {
  if (!schema?.properties) return false;
  return Object.entries(value).every(([key, v]) => {
    const sub = schema.properties?.[key];
    if (sub?.default !== undefined) return deepEqual(v, sub.default);
    return isObject(v) && allDefaults(v, sub);
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
