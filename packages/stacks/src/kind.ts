// What a kind is: its spec side (kind-spec.ts) and its Pulumi program. A kind module exports one
// `KindDefinition`; the engine runs its program. The API uses the spec side alone (specs.ts).
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { KindSpec, SpecOf } from "./kind-spec.ts";
import type { SecretInputs } from "./secret-inputs.ts";

export type {
  AnyKindSpec,
  KindOutput,
  KindSpec,
  PlatformSettings,
  SpecOf,
} from "./kind-spec.ts";

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
}

/** A program's stack outputs; their names are exactly the kind's declared outputs. */
export type ProgramOutputs = Record<string, pulumi.Input<unknown>>;

export interface KindDefinition<Schema extends z.ZodType = z.ZodType> extends KindSpec<Schema> {
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
