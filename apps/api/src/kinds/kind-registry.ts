// What the API needs from the kind registry (`@gantry/stacks`), narrowed so tests and other
// registries can stand in for it.

export interface KindOutputInfo {
  name: string;
  description: string;
  secret: boolean;
}

export interface KindInfo {
  name: string;
  dependsOn: readonly string[];
  outputs: readonly KindOutputInfo[];
  /** Blueprint versions, oldest first; absent: one version, 1 (README, Blueprint versions). */
  versions?: readonly { version: number; changes: string }[];
}

/** A kind's latest blueprint version. */
export function latestVersionOf(kind: Pick<KindInfo, "versions">): number {
  return kind.versions?.at(-1)?.version ?? 1;
}

/** The version a request names ("latest" or a number), checked against the kind's versions. */
export function resolveVersion(
  kind: Pick<KindInfo, "name" | "versions">,
  requested: number | "latest",
): number | undefined {
  if (requested === "latest") return latestVersionOf(kind);
  const known = kind.versions ? kind.versions.some((v) => v.version === requested) : requested === 1;
  return known ? requested : undefined;
}

export interface KindListing extends KindInfo {
  title: string;
  description: string;
  /** JSON Schema of the spec as a client sends it. */
  specSchema: Record<string, unknown>;
}

/** Field paths are relative to the spec: `connectionLimit`, `extensions[1]`, "" for the spec itself. */
export type SpecResult =
  | { ok: true; spec: Record<string, unknown>; secrets?: Record<string, string> }
  | { ok: false; issues: readonly { path: string; message: string }[] };

export interface KindRegistry {
  getKind(name: string): KindInfo | undefined;
  listKinds(): readonly KindListing[];
  parseSpec(kindName: string, input: unknown): SpecResult;
  mergeSpec(kindName: string, previousSpec: unknown, patch: unknown): SpecResult;
  /** Refusals of a valid spec given its dependencies; path "" means `dependsOn` itself. */
  dependencyIssues(
    kindName: string,
    spec: unknown,
    dependencies: readonly { name: string; kind: string }[],
  ): readonly { path: string; message: string }[];
}
