// The kind registry: the one place the API and the worker learn which kinds exist, how to
// validate their specs and what they look like as JSON Schema. It reads only the kinds' spec side
// (kind-spec.ts), so it holds either the spec definitions (the API, specs.ts) or the whole kinds
// with their programs (the engine, programs.ts), and loads no Pulumi itself.
import { z } from "zod";
import { undeclaredContractOutputs } from "./contracts/contract.ts";
import { type SpecIssue, specErrorMap, toSpecIssues } from "./issues.ts";
import type { AnyKindSpec, KindOutput } from "./kind-spec.ts";
import { mergePatch } from "./merge.ts";
import { SECRET_INPUT_SET, secretInputNames, splitSecretInputs } from "./secret-inputs.ts";

/** A kind as `GET /v1/kinds` shows it. */
export interface KindSummary {
  name: string;
  title: string;
  description: string;
  dependsOn: readonly string[];
  outputs: readonly KindOutput[];
  /** Blueprint versions, oldest first. */
  versions: readonly { version: number; changes: string }[];
  /** JSON Schema (draft 2020-12) of the spec as a client sends it: defaults, descriptions, examples. */
  specSchema: Record<string, unknown>;
}

/**
 * A valid spec as it may be stored (secret inputs as SECRET_INPUT_SET) and the secret input
 * values given with it, which must go to the engine by another road (README, Secret inputs).
 */
export type SpecResult =
  | { ok: true; spec: Record<string, unknown>; secrets?: Record<string, string> }
  | { ok: false; issues: SpecIssue[] };

export interface Registry<Kind extends AnyKindSpec = AnyKindSpec> {
  getKind(name: string): Kind | undefined;
  listKinds(): KindSummary[];
  /** The kind's secret inputs: top-level spec fields marked writeOnly. */
  secretInputs(kindName: string): readonly string[];
  /** Validates a spec for a new stack; defaults are applied to the returned spec. */
  parseSpec(kindName: string, input: unknown): SpecResult;
  /**
   * PATCH: merges `patch` into the stack's current spec (see mergePatch), validates the result,
   * then asks the kind whether the change itself is allowed.
   */
  mergeSpec(kindName: string, previous: unknown, patch: unknown): SpecResult;
  /**
   * What a valid spec asks of the stacks it depends on (e.g. a workload on EKS needs one
   * eks-cluster); "" as the path means `dependsOn` itself.
   */
  dependencyIssues(
    kindName: string,
    spec: unknown,
    dependencies: readonly { name: string; kind: string }[],
  ): SpecIssue[];
  /**
   * The dependencies a stored spec uses (all of them unless its kind says otherwise): what gates
   * its runs and what its program reads. A spec that no longer parses uses them all.
   */
  dependenciesInUse<D extends { name: string; kind: string }>(
    kindName: string,
    spec: unknown,
    dependencies: readonly D[],
  ): D[];
}

export function createRegistry<Kind extends AnyKindSpec>(kinds: readonly Kind[]): Registry<Kind> {
  const byName = new Map<string, Kind>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new Error(`kind "${kind.name}" is registered twice`);
    byName.set(kind.name, kind);
  }
  for (const kind of kinds) {
    for (const contract of kind.contracts ?? []) {
      const missing = undeclaredContractOutputs(contract, kind.outputs);
      if (missing.length > 0)
        throw new Error(
          `kind "${kind.name}" does not declare the ${contract.name} contract's outputs: ${missing.join(", ")}`,
        );
    }
    const unknown = kind.dependsOn.filter((name) => !byName.has(name));
    if (unknown.length > 0)
      throw new Error(`kind "${kind.name}" depends on unknown kinds: ${unknown.join(", ")}`);
  }
  // Stacks may only depend on stacks of the kinds their kind names, so kinds without a cycle are
  // what keeps stacks without one, however their dependsOn is set or changed.
  const cycle = kindCycle(byName);
  if (cycle) throw new Error(`kinds depend on each other in a cycle: ${cycle.join(" → ")}`);

  const unknownKind = (name: string): SpecResult => ({
    ok: false,
    issues: [
      { path: "kind", message: `"${name}" is not a known kind (known: ${[...byName.keys()].join(", ")})` },
    ],
  });

  const jsonSchemas = new Map(
    kinds.map((kind) => [
      kind.name,
      z.toJSONSchema(kind.specSchema, { io: "input" }) as Record<string, unknown>,
    ]),
  );
  const secretNames = new Map(
    [...jsonSchemas].map(([name, schema]) => [name, secretInputNames(schema)] as const),
  );

  const parse = (kind: Kind, input: unknown): SpecResult => {
    const result = kind.specSchema.safeParse(input, { error: specErrorMap });
    if (!result.success) return { ok: false, issues: toSpecIssues(result.error.issues) };
    const { spec, secrets } = splitSecretInputs(
      result.data as Record<string, unknown>,
      secretNames.get(kind.name) ?? [],
    );
    // `secrets` only when values were given, so a kind without secret inputs parses as before.
    return Object.keys(secrets).length > 0 ? { ok: true, spec, secrets } : { ok: true, spec };
  };

  return {
    getKind: (name) => byName.get(name),

    listKinds: () =>
      kinds.map((kind) => ({
        name: kind.name,
        title: kind.title,
        description: kind.description,
        dependsOn: kind.dependsOn,
        outputs: kind.outputs,
        versions: kind.versions ?? [{ version: 1, changes: "The first version." }],
        specSchema: jsonSchemas.get(kind.name) ?? {},
      })),

    secretInputs: (kindName) => secretNames.get(kindName) ?? [],

    parseSpec(kindName, input) {
      const kind = byName.get(kindName);
      if (!kind) return unknownKind(kindName);
      const parsed = parse(kind, input);
      if (!parsed.ok) return parsed;
      // A new stack has no value to keep: the marker alone would leave the field without one.
      const kept = (secretNames.get(kind.name) ?? []).filter(
        (name) => (input as Record<string, unknown>)[name] === SECRET_INPUT_SET,
      );
      if (kept.length === 0) return parsed;
      return {
        ok: false,
        issues: kept.map((path) => ({
          path,
          message: `needs its value: "${SECRET_INPUT_SET}" keeps a value set before, and a new stack has none`,
        })),
      };
    },

    mergeSpec(kindName, previous, patch) {
      const kind = byName.get(kindName);
      if (!kind) return unknownKind(kindName);
      const merged = mergePatch(previous, patch) as Record<string, unknown>;
      const next = parse(kind, merged);
      if (!next.ok) return next;
      // The marker keeps a value only where the stored spec had one.
      const had = (previous ?? {}) as Record<string, unknown>;
      const unset = (secretNames.get(kind.name) ?? []).filter(
        (name) => merged[name] === SECRET_INPUT_SET && had[name] !== SECRET_INPUT_SET,
      );
      if (unset.length > 0)
        return {
          ok: false,
          issues: unset.map((path) => ({
            path,
            message: `needs its value: "${SECRET_INPUT_SET}" keeps a value set before, and this stack has none`,
          })),
        };
      if (!kind.validateChange) return next;
      // A stored spec that no longer parses (the schema moved on) has nothing to compare with;
      // the merged spec still had to be valid above.
      const before = parse(kind, previous);
      if (!before.ok) return next;
      const refusals = kind.validateChange(before.spec, next.spec);
      return refusals.length > 0 ? { ok: false, issues: [...refusals] } : next;
    },

    dependencyIssues(kindName, spec, dependencies) {
      const kind = byName.get(kindName);
      return kind?.validateDependencies ? [...kind.validateDependencies(spec, dependencies)] : [];
    },

    dependenciesInUse(kindName, spec, dependencies) {
      const kind = byName.get(kindName);
      if (!kind?.dependenciesInUse) return [...dependencies];
      const parsed = parse(kind, spec);
      if (!parsed.ok) return [...dependencies];
      const used = new Set(kind.dependenciesInUse(parsed.spec, dependencies));
      return dependencies.filter((dependency) => used.has(dependency.name));
    },
  };
}

/** A cycle in the kinds' dependsOn, as the kinds along it, or undefined (a depth-first search). */
function kindCycle(byName: ReadonlyMap<string, AnyKindSpec>): string[] | undefined {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const next of byName.get(name)?.dependsOn ?? []) {
      const found = visit(next, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const name of byName.keys()) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}
