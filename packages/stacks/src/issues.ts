// Spec validation messages a person understands: each issue names the field it is about, and the
// message reads after it ("connectionLimit: must be at most 1000"). Kinds get these for free;
// a schema's own `error`/refine message still wins over this map.
import { toFieldIssues } from "@gantry/core";
import type { z } from "zod";

export interface SpecIssue {
  /** Field path: `connectionLimit`, `extensions[1]`, `nodeGroups[0].size`; "" for the spec itself. */
  path: string;
  message: string;
}

const NOUNS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** zod error map used when parsing specs. */
export const specErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${NOUNS[issue.expected] ?? issue.expected}`;
    case "too_big":
      return `must ${bound(issue.origin, "most", issue.maximum, issue.inclusive)}`;
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return "must not be empty";
      return `must ${bound(issue.origin, "least", issue.minimum, issue.inclusive)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((value) => String(value)).join(", ")}`;
    case "invalid_format":
      return `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
};

function bound(origin: string, side: "most" | "least", limit: number | bigint, inclusive = true): string {
  const count = (unit: string) => `have at ${side} ${limit} ${unit}`;
  if (origin === "array" || origin === "set") return count("items");
  if (origin === "string") return count("characters");
  if (!inclusive) return `be ${side === "most" ? "less" : "more"} than ${limit}`;
  return `be at ${side} ${limit}`;
}

/** Spec issues: one per field, paths relative to the spec. */
export const toSpecIssues: (issues: readonly z.core.$ZodIssue[]) => SpecIssue[] = toFieldIssues;

/** One sentence for an error response: "connectionLimit: must be at most 1000; colour: is not a known field". */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues.map((issue) => `${issue.path || "spec"}: ${issue.message}`).join("; ");
}
