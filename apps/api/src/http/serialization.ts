// Response serialization: the route's zod schema stays the filter (only its fields leave, in its
// order, and a value it refuses is a 500), without running zod on every answer. The type
// provider's serializer encodes each answer with zod and then stringifies it; that took a tenth of
// a stack read's CPU. Here each response schema is compiled once into a function that copies a
// value to the schema's shape, checking each field's type (dates become their JSON strings), and
// the copy is stringified.
//
// Compiled are the types the API's answers are made of: objects (zod's default, stripping unknown
// keys), arrays, records with plain string keys, nullable and optional, strings, numbers (and
// `.int()` ones), booleans, dates, enums, unknown. Any other part of a schema (checks, unions, literals,
// transforms …) is handed to zod itself. When a value does not fit the compiled copy, the whole
// answer goes through zod's encode as before: its answer or its error is the one given, so the
// fast path never accepts what zod would refuse, and answers what zod would.
import type { FastifySerializerCompiler } from "fastify";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { type $ZodType, safeEncode } from "zod/v4/core";

/** Thrown inside a compiled copy: this value is for zod to judge. */
const MISFIT: unique symbol = Symbol("misfit");

type Copy = (value: unknown) => unknown;

interface Def {
  type: string;
  checks?: unknown[];
  format?: string;
  shape?: Record<string, $ZodType>;
  catchall?: $ZodType;
  element?: $ZodType;
  keyType?: $ZodType;
  valueType?: $ZodType;
  innerType?: $ZodType;
}

function defOf(schema: $ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function misfit(): never {
  throw MISFIT;
}

/** The same result as zod's encode, by zod itself (the parts this file does not compile). */
function byZod(schema: $ZodType): Copy {
  return (value) => {
    const result = safeEncode(schema, value);
    return result.success ? result.data : misfit();
  };
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string schema without checks or format: any string. */
function isPlainString(schema: $ZodType): boolean {
  const def = defOf(schema);
  return def.type === "string" && !def.checks?.length && def.format === undefined;
}

/** More instants than the answers of a busy minute hold; past it the memo starts over rather than grow. */
const MAX_ISO_STRINGS = 10_000;
const isoStrings = new Map<number, string>();

/**
 * A date's ISO string, remembered by its instant: V8's toISOString takes ~0.8 µs, more than half
 * of a list page's copy, and polled stacks show the same instants in answer after answer.
 */
function isoString(date: Date): string {
  const time = date.getTime();
  let iso = isoStrings.get(time);
  if (iso === undefined) {
    if (isoStrings.size >= MAX_ISO_STRINGS) isoStrings.clear();
    iso = date.toISOString();
    isoStrings.set(time, iso);
  }
  return iso;
}

/** Compiled copies by schema; a schema met again while being compiled (a recursive one) is looked up when used. */
const compiled = new WeakMap<$ZodType, Copy>();
const compiling = new Set<$ZodType>();

export function compileCopy(schema: $ZodType): Copy {
  const known = compiled.get(schema);
  if (known) return known;
  if (compiling.has(schema)) return (value) => (compiled.get(schema) as Copy)(value);
  compiling.add(schema);
  try {
    const copy = compileOne(schema);
    compiled.set(schema, copy);
    return copy;
  } finally {
    compiling.delete(schema);
  }
}

/** What zod's `.int()` adds to a number: one check of this kind. */
function isSafeIntCheck(check: unknown): boolean {
  const def = (check as $ZodType)._zod.def as unknown as { check?: string; format?: string; when?: unknown };
  return def.check === "number_format" && def.format === "safeint" && def.when === undefined;
}

/**
 * A number whose only checks are `.int()`'s: the check an answer's schemas need often (versions,
 * attempts), where zod's encode of the one field cost more than copying a stack without it.
 */
function isSafeIntSchema(schema: $ZodType): boolean {
  const { type, format, checks = [] } = defOf(schema);
  if (type !== "number" || (format !== undefined && format !== "safeint")) return false;
  return checks.length > 0 && checks.every(isSafeIntCheck);
}

function compileOne(schema: $ZodType): Copy {
  const def = defOf(schema);
  if (isSafeIntSchema(schema)) return (value) => (Number.isSafeInteger(value) ? value : misfit());
  // Other checks (min, max, regex, refine …) are zod's to run.
  if (def.checks?.length) return byZod(schema);
  switch (def.type) {
    case "string":
      if (def.format !== undefined) return byZod(schema);
      return (value) => (typeof value === "string" ? value : misfit());
    case "number":
      if (def.format !== undefined) return byZod(schema);
      return (value) => (typeof value === "number" && Number.isFinite(value) ? value : misfit());
    case "boolean":
      return (value) => (typeof value === "boolean" ? value : misfit());
    case "date":
      // Its JSON (Date's toJSON is toISOString) as a string: a Date in a value sends JSON.stringify
      // down its slow path, a list page's answer 3–4 times as long to write. Only a plain Date:
      // one with properties of its own (a toJSON) is stringified by them, so it is zod's.
      return (value) =>
        value instanceof Date &&
        Object.getPrototypeOf(value) === Date.prototype &&
        Reflect.ownKeys(value).length === 0 &&
        !Number.isNaN(value.getTime())
          ? isoString(value)
          : misfit();
    case "enum": {
      const values = schema._zod.values;
      if (!values) return byZod(schema);
      return (value) => (values.has(value as string) ? value : misfit());
    }
    case "unknown":
    case "any":
      return (value) => value;
    case "nullable": {
      const inner = compileCopy(def.innerType as $ZodType);
      return (value) => (value === null ? null : inner(value));
    }
    case "optional": {
      const inner = compileCopy(def.innerType as $ZodType);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case "array": {
      const element = compileCopy(def.element as $ZodType);
      return (value) => {
        if (!Array.isArray(value)) misfit();
        const out = new Array(value.length);
        for (let i = 0; i < value.length; i++) out[i] = element(value[i]);
        return out;
      };
    }
    case "record": {
      if (!isPlainString(def.keyType as $ZodType)) return byZod(schema);
      const valueDef = defOf(def.valueType as $ZodType);
      if ((valueDef.type === "unknown" || valueDef.type === "any") && !valueDef.checks?.length) {
        // Any value under any key (a spec, outputs): zod's copy would have the same keys, in the
        // same order, with the same values, so the object itself is stringified. Not an object
        // whose JSON would differ from its copy's: a __proto__ key zod skips, or a toJSON.
        return (value) => {
          if (!isRecordObject(value) || Object.getOwnPropertySymbols(value).length > 0) misfit();
          if (Object.hasOwn(value, "__proto__") || "toJSON" in value) misfit();
          return value;
        };
      }
      const item = compileCopy(def.valueType as $ZodType);
      return (value) => {
        if (!isRecordObject(value) || Object.getOwnPropertySymbols(value).length > 0) misfit();
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          if (key === "__proto__") misfit();
          out[key] = item(value[key]);
        }
        return out;
      };
    }
    case "object":
      return compileObject(schema);
    default:
      return byZod(schema);
  }
}

function compileObject(schema: $ZodType): Copy {
  const def = defOf(schema);
  // Only zod's default mode, which drops unknown keys; strict and loose objects are zod's.
  if (def.catchall !== undefined) return byZod(schema);
  const fields = Object.entries(def.shape ?? {}).map(([key, schema]) => ({
    key,
    optional: defOf(schema).type === "optional",
    copy: compileCopy(schema),
  }));
  // An object literal would take a __proto__ key for the prototype.
  if (fields.some((field) => field.key === "__proto__")) return byZod(schema);
  // Each object is built by an object literal generated for its schema (as ajv and
  // fast-json-stringify generate code): assigned key by key in a loop, through one call site for
  // every field, a list page's copy took 40% longer. Keys are written with JSON.stringify, so any
  // key is a string literal. A missing key is zod's to judge unless the field is optional; an
  // optional field absent, or one copied to undefined, is left out by JSON.stringify.
  const key = (i: number) => JSON.stringify((fields[i] as { key: string }).key);
  const checks = fields.flatMap((field, i) =>
    field.optional ? [] : [`if (!(${key(i)} in input)) misfit();`],
  );
  const values = fields.map((field, i) =>
    field.optional
      ? `${key(i)}: ${key(i)} in input ? copies[${i}](input[${key(i)}]) : undefined`
      : `${key(i)}: copies[${i}](input[${key(i)}])`,
  );
  const build = new Function(
    "copies",
    "misfit",
    `return function copyObject(input) {
      if (typeof input !== "object" || input === null || Array.isArray(input)) misfit();
      ${checks.join("\n")}
      return { ${values.join(", ")} };
    };`,
  );
  return build(
    fields.map((field) => field.copy),
    misfit,
  ) as Copy;
}

/**
 * Fastify's serializer compiler for zod response schemas: the compiled copy, stringified; a value
 * it cannot copy goes through the type provider's serializer (zod's encode), as every answer did.
 */
export const serializerCompiler: FastifySerializerCompiler<$ZodType> = (route) => {
  const bySchema = zodSerializerCompiler(route as never) as (data: unknown) => string;
  if (!(route.schema as Partial<$ZodType>)?._zod) return bySchema;
  const copy = compileCopy(route.schema);
  return (data) => {
    let copied: unknown;
    try {
      copied = copy(data);
    } catch (err) {
      if (err === MISFIT) return bySchema(data);
      throw err;
    }
    return JSON.stringify(copied);
  };
};
