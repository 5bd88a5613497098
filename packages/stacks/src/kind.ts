// What a kind is. A kind module exports one `KindDefinition`; the registry lists them, the API
// validates specs and renders forms from them, and the engine runs their programs.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { OutputContract } from "./contracts/contract.ts";
import type { SpecIssue } from "./issues.ts";
import type { PluginName } from "./plugins.ts";
import type { SecretInputs } from "./secret-inputs.ts";

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

/** A stack this one depends on (`dependsOn`), as its program sees it. */
export interface StackDependency {
  name: string;
  kind: string;
  /** Current outputs: plain values, and secret outputs as Pulumi secrets (Outputs). */
  outputs: Record<string, unknown>;
  /** Names of the output contracts its kind meets, its values checked against them. */
  contracts: readonly string[];
}

/** Everything a kind's program knows about the stack it provisions. */
export interface ProgramContext<Spec> {
  /** The spec, already parsed (defaults applied). */
  spec: Spec;
  stack: { id: string; name: string; teamName: string };
  /** A name unique on shared infrastructure, safe as a Postgres identifier (see physical-name.ts). */
  physicalName: string;
  /** The stacks this one depends on, in the order `dependsOn` named them. */
  dependencies: readonly StackDependency[];
  /**
   * The values of the kind's secret inputs (its writeOnly spec fields), as Pulumi secrets; the
   * spec itself holds only SECRET_INPUT_SET in their place.
   */
  secretInputs: SecretInputs;
  /**
   * The blueprint version this run applies (README, Blueprint versions): the one the stack's last
   * up used, unless a rollout or an explicit request moves it. Absent: 1.
   */
  blueprintVersion?: number;
}

/** A program's stack outputs; their names are exactly the kind's declared outputs. */
export type ProgramOutputs = Record<string, pulumi.Input<unknown>>;

/** The spec type of a kind whose schema is `Schema`. */
export type SpecOf<Schema extends z.ZodType> = z.output<Schema>;

export interface KindDefinition<Schema extends z.ZodType = z.ZodType> {
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
  /** The Pulumi program body; runs inside an inline program and returns the stack outputs. */
  program(context: ProgramContext<SpecOf<Schema>>): Promise<ProgramOutputs>;
}

/** A kind of any spec type, as the registry holds it. */
export type AnyKind = KindDefinition<z.ZodType>;

/**
 * Declares a kind. The program it returns enforces the output contract: exactly the declared
 * outputs, and every output declared secret is a Pulumi secret even if the program forgot.
 */
export function defineKind<Schema extends z.ZodType>(
  definition: KindDefinition<Schema>,
): KindDefinition<Schema> {
  const declared = new Map(definition.outputs.map((output) => [output.name, output]));
  return {
    ...definition,
    async program(context) {
      const outputs = await definition.program(context);
      const names = Object.keys(outputs);
      const undeclared = names.filter((name) => !declared.has(name));
      const missing = [...declared.keys()].filter((name) => !(name in outputs));
      if (undeclared.length > 0 || missing.length > 0) {
        throw new Error(
          `kind "${definition.name}" returned outputs that differ from its declaration` +
            ` (undeclared: ${undeclared.join(", ") || "none"}; missing: ${missing.join(", ") || "none"})`,
        );
      }
      return Object.fromEntries(
        names.map((name) => [
          name,
          declared.get(name)?.secret ? pulumi.secret(outputs[name]) : outputs[name],
        ]),
      );
    },
  };
}
