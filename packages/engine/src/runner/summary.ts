// The engine reports changes as an op → count map with more ops than Gantry shows
// ("create-replacement", "discard", …); fold them into the five counts of the domain.
import type { ChangeSummary } from "@gantry/core";

export function toChangeSummary(changes: Record<string, number | undefined> | undefined): ChangeSummary {
  const count = (...ops: string[]) => ops.reduce((n, op) => n + (changes?.[op] ?? 0), 0);
  return {
    create: count("create", "import"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete", "discard"),
    same: count("same", "read", "refresh"),
  };
}
