// Spec validation messages a person understands: each issue names the field it is about, and the
// message reads after it ("connectionLimit: must be at most 1000"). Kinds get these for free;
// a schema's own `error`/refine message still wins over this map.
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

/** One issue per field: unknown keys are split out, and only the first problem of a field is kept. */
export function toSpecIssues(issues: readonly z.core.$ZodIssue[]): SpecIssue[] {
  const result: SpecIssue[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    result.push({ path, message });
  };
  // zod checks the safe-integer range before a schema's own bounds; the schema's bound is the one
  // a person needs ("at most 1000", not "at most 9007199254740991").
  const safeIntegerRange = (issue: z.core.$ZodIssue) =>
    (issue.code === "too_big" || issue.code === "too_small") && issue.origin === "int";
  const ordered = [...issues.filter((i) => !safeIntegerRange(i)), ...issues.filter(safeIntegerRange)];
  for (const issue of ordered) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(formatPath([...issue.path, key]), "is not a known field");
    } else {
      add(formatPath(issue.path), issue.message);
    }
  }
  return result;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/** One sentence for an error response: "connectionLimit: must be at most 1000; colour: is not a known field". */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues.map((issue) => `${issue.path || "spec"}: ${issue.message}`).join("; ");
}
