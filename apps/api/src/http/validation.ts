// Request validation with zod: every problem becomes a field issue a person can read
// ("name: must be a DNS label …", "colour: is not a known field"), answered as 400.
import { toFieldIssues } from "@gantry/core";
import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";
import { type FieldIssue, ValidationError } from "./errors.ts";

const NOUNS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
};

/** Messages for zod issues; a schema's own message (e.g. on a regex) still wins. */
export const requestErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be ${NOUNS[issue.expected] ?? issue.expected}`;
    case "too_big":
      return `must be at most ${issue.maximum}${unit(issue.origin)}`;
    case "too_small":
      return `must be at least ${issue.minimum}${unit(issue.origin)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

function unit(origin: string): string {
  if (origin === "string") return " characters long";
  if (origin === "array") return " items";
  return "";
}

/** Field issues of a request part; `root` names the part itself (body, querystring, …). */
function toRequestIssues(issues: readonly z.core.$ZodIssue[], root: string): FieldIssue[] {
  return toFieldIssues(issues).map((issue) => ({ path: issue.path || root, message: issue.message }));
}

/** Fastify validator compiler for zod schemas (replaces the type provider's, for the messages). */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { error: requestErrorMap });
    if (result.success) return { value: result.data };
    return { error: new ValidationError(toRequestIssues(result.error.issues, httpPart ?? "request")) };
  };
