// PATCH semantics for specs: JSON Merge Patch (RFC 7386), so clients send only what changes.

/**
 * Objects merge key by key, anything else (arrays included) replaces, and `null` removes a key,
 * which brings back its default when the result is parsed.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  // A null-prototype object keeps a "__proto__" key an ordinary (and then refused) field.
  const result: Record<string, unknown> = Object.assign(
    Object.create(null),
    isPlainObject(target) ? target : {},
  );
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
