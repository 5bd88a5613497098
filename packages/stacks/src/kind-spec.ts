// What a kind is apart from its Pulumi program: its spec schema, outputs and contracts, the
// refusals it adds, and what its engine needs. Nothing here loads Pulumi, so the API validates
// specs and renders forms from these alone; kind.ts adds the program for the engine.
import type { z } from "zod";
import type { OutputContract } from "./contracts/contract.ts";
import type { SpecIssue } from "./issues.ts";
import type { PluginName } from "./plugins.ts";

/** One stack output a kind exposes. Secret outputs stay encrypted in state and are redacted by the API. */
export interface KindOutput {
  name: string;
  description: string;
  secret: boolean;
}

/**
 * What the platform gives the engine, from which a kind derives its engine environment. Values
 * may be secret (an admin URL); they reach the engine process only through `engineEnv`, never
 * a resource input or Pulumi state.
 */
export interface PlatformSettings {
  /** Admin URL of the Postgres server behind `pg-database`. */
  pgServerUrl?: string | undefined;
  /**
   * The AWS account the AWS kinds provision into: the region and the variables of the AWS SDK's
   * credential chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE, the shared files' paths, AWS_ROLE_ARN +
   * AWS_WEB_IDENTITY_TOKEN_FILE, container and instance metadata settings) as the worker has them;
   * absent when no credential source can exist (the engine finds the credentials before each run).
   */
  aws?: { region: string; credentials: Record<string, string> } | undefined;
}

/** The spec type of a kind whose schema is `Schema`. */
export type SpecOf<Schema extends z.ZodType> = z.output<Schema>;

export interface KindSpec<Schema extends z.ZodType = z.ZodType> {
  /** Stable identifier used in the API (`pg-database`). */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Strict zod schema with defaults, `.describe()` texts and `.meta({ examples })`. */
  readonly specSchema: Schema;
  /** Kinds a stack of this kind may depend on. */
  readonly dependsOn: readonly string[];
  /**
   * Its blueprint versions, oldest first, each with what it changed (README, Blueprint versions);
   * the last is the one new stacks get. Absent: one version, 1. The program reads
   * `blueprintVersion` and builds what that version builds.
   */
  readonly versions?: readonly { version: number; changes: string }[];
  readonly outputs: readonly KindOutput[];
  /**
   * Typed contracts its outputs meet (e.g. the cluster contract), checked against `outputs` by
   * the registry and against the values whenever a dependent reads them.
   */
  readonly contracts?: readonly OutputContract[];
  /**
   * Refusals of a change that the schema alone cannot see (e.g. skipping a version), as issues
   * naming the field. Both specs are already valid.
   */
  validateChange?(previous: SpecOf<Schema>, next: SpecOf<Schema>): readonly SpecIssue[];
  /**
   * Refusals of a spec together with the stacks it depends on (e.g. a workload on EKS needs an
   * eks-cluster among them); the registry has already checked each one's kind is in `dependsOn`.
   */
  validateDependencies?(
    spec: SpecOf<Schema>,
    dependencies: readonly { name: string; kind: string }[],
  ): readonly SpecIssue[];
  /**
   * The names of the dependencies a spec actually uses, when that is not all of them (a workload
   * uses its cluster on Kubernetes and its network on ECS, so it may depend on both and move by
   * `target`). Only these gate its runs and reach its program; the others may be failed or gone.
   */
  dependenciesInUse?(spec: SpecOf<Schema>, dependencies: readonly { name: string; kind: string }[]): string[];
  /**
   * Environment variables the engine process needs for this kind's programs and providers, for a
   * stack of this spec (as stored). Values may be secret; the names are documented on each kind.
   */
  engineEnv(platform: PlatformSettings, spec: SpecOf<Schema>): Record<string, string>;
  /**
   * The cloud whose credentials every run needs. The engine process finds them (the cloud SDK's
   * own chain, in the engine's environment) before it starts Pulumi, so a platform without them
   * fails the run at once instead of deep inside a provider.
   */
  readonly cloud?: "aws";
  /**
   * Pulumi resource plugins the program uses besides its cloud's (e.g. "kubernetes"); a run fails
   * at once, saying how to install them, when one is missing (see plugins.ts).
   */
  readonly plugins?: readonly PluginName[];
  /** Whether a stack of this spec needs `cloud` (default: every stack of the kind does). */
  usesCloud?(spec: SpecOf<Schema>): boolean;
}

/** A kind's spec side of any spec type, as the spec registry holds it. */
export type AnyKindSpec = KindSpec<z.ZodType>;

/** Declares the Pulumi-free side of a kind (its module's definition.ts). */
export function defineKindSpec<Schema extends z.ZodType>(spec: KindSpec<Schema>): KindSpec<Schema> {
  return spec;
}
