// The per-resource plan of a run, folded from the engine's step events: one entry per resource
// that changes, with the properties that change and their values before and after. The engine
// blinds secret values in events ("[secret]"), so nothing here can hold one.
import type { PropertyChange, ResourceChange } from "@gantry/core";
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import { toChangeSummary } from "./summary.ts";

/** Engine step ops by the change a person sees; ops not listed (same, read, refresh) change nothing. */
const OPS: Record<string, ResourceChange["op"] | undefined> = {
  create: "create",
  import: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
  discard: "delete",
};
/** A resource replaced shows up as several steps; the strongest one names it. */
const STRENGTH: Record<ResourceChange["op"], number> = { update: 1, create: 2, delete: 2, replace: 3 };

export function createChangeCollector() {
  const byUrn = new Map<string, ResourceChange>();
  let summary: Record<string, number | undefined> | undefined;
  return {
    push(event: EngineEvent): void {
      if (event.summaryEvent) summary = event.summaryEvent.resourceChanges ?? {};
      const step = event.resourcePreEvent?.metadata;
      const op = step ? OPS[step.op] : undefined;
      if (!step || !op) return;
      const seen = byUrn.get(step.urn);
      if (seen && STRENGTH[seen.op] >= STRENGTH[op]) return;
      byUrn.set(step.urn, { urn: step.urn, type: step.type, op, properties: propertyChanges(step) });
    },
    changes(): ResourceChange[] {
      return [...byUrn.values()];
    },
    /**
     * Why the events seen cannot be the whole plan, or undefined when they can be. The engine
     * writes its summary after every step, so without it the stream was cut short; with it, each
     * kind of change it counts must have been seen as often.
     */
    incomplete(): string | undefined {
      if (!summary) return "the events ended before the engine's summary";
      const counted = toChangeSummary(summary);
      for (const op of ["create", "update", "replace", "delete"] as const) {
        const seen = [...byUrn.values()].filter((change) => change.op === op).length;
        if (seen < counted[op]) return `the summary counts ${counted[op]} ${op}(s), the events show ${seen}`;
      }
      return undefined;
    },
  };
}

function propertyChanges(step: StepEventMetadata): PropertyChange[] {
  // What the resource is now: its recorded outputs (refreshed, when the run refreshed first) over
  // its old inputs — a provider compares the new inputs with these.
  const before = { ...step.old?.inputs, ...pick(step.old?.outputs, Object.keys(step.new?.inputs ?? {})) };
  const after = step.new?.inputs ?? {};
  if (step.op === "create" || step.op === "delete") return [];
  const detailed = step.detailedDiff ?? {};
  const reported = Object.keys(detailed).length > 0 ? Object.keys(detailed) : (step.diffs ?? []);
  const paths = reported.length > 0 ? reported : changedInputs(before, after);
  return paths.sort().map((path) => {
    const was = valueAt(before, path);
    const is = valueAt(after, path);
    const kind =
      detailed[path]?.diffKind ?? (was === undefined ? "add" : is === undefined ? "delete" : "update");
    const change: PropertyChange["change"] = kind.startsWith("add")
      ? "add"
      : kind.startsWith("delete")
        ? "delete"
        : "update";
    return { path, change, before: was, after: is };
  });
}

/**
 * Providers that say only "changes" (dynamic providers cannot say more) leave the engine without
 * a property list: the top-level inputs that differ stand in. `__`-prefixed inputs are the
 * engine's own (a dynamic provider's serialized code), not the resource's.
 */
function changedInputs(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(
    (key) => !key.startsWith("__") && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

function pick(bag: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => bag && key in bag).map((key) => [key, bag?.[key]]));
}

/** Reads `a.b[0].c` from a property bag; undefined where the path does not exist. */
function valueAt(bag: Record<string, unknown>, path: string): unknown {
  let value: unknown = bag;
  for (const key of path.split(/\.|\[|\]/).filter(Boolean)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key.replace(/^"|"$/g, "")];
  }
  return value;
}
