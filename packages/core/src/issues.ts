// zod issues as people read them: one issue per field, named by its path (`extensions[1]`,
// `spec.connectionLimit`), unknown keys one issue each. Shared by request and spec validation.
import type { z } from "zod";

export interface FieldIssue {
  /** Field path; "" for the validated value itself. */
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/** One issue per field: unknown keys are split out, and only the first problem of a field is kept. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const result: FieldIssue[] = [];
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
