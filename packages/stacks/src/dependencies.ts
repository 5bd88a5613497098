// How a program sees the stacks it depends on. Their outputs are read inside the program through
// Pulumi stack references, so secret outputs (a kubeconfig) stay Pulumi secrets end to end and
// never travel through the worker or its IPC channel in plaintext.
import * as pulumi from "@pulumi/pulumi";
import { checkContract } from "./contracts/contract.ts";
import type { ProgramContext, StackDependency } from "./kind.ts";
import type { AnyKindSpec } from "./kind-spec.ts";

/** A dependency as the worker names it: enough to find its Pulumi stack. */
export interface DependencyRef {
  id: string;
  name: string;
  kind: string;
}

/** Pulumi project per kind, stack per Gantry stack: state paths stay readable and never collide. */
export function pulumiNames(stack: { id: string; kind: string }): { projectName: string; stackName: string } {
  return { projectName: `gantry-${stack.kind}`, stackName: stack.id };
}

/**
 * Reads the current outputs of each dependency (only those its kind declares). Must run inside a
 * Pulumi program: stack references are resources of the dependent's stack.
 */
export async function readDependencies(
  refs: readonly DependencyRef[],
  getKind: (name: string) => AnyKindSpec | undefined,
): Promise<StackDependency[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const kind = getKind(ref.kind);
      if (!kind) throw new Error(`dependency "${ref.name}" has unknown kind "${ref.kind}"`);
      const { projectName, stackName } = pulumiNames(ref);
      // DIY backends name every stack organization/<project>/<stack>.
      const reference = new pulumi.StackReference(`dependency-${ref.name}`, {
        name: `organization/${projectName}/${stackName}`,
      });
      const outputs: Record<string, unknown> = {};
      const values: Record<string, unknown> = {};
      for (const output of kind.outputs) {
        const details = await reference.getOutputDetails(output.name);
        values[output.name] = details.secretValue ?? details.value;
        outputs[output.name] =
          details.secretValue !== undefined ? pulumi.secret(details.secretValue) : details.value;
      }
      // A contract output renamed, missing or of another type fails here, naming it.
      const contracts = kind.contracts ?? [];
      for (const contract of contracts) checkContract(contract, ref, values);
      return { name: ref.name, kind: ref.kind, outputs, contracts: contracts.map((c) => c.name) };
    }),
  );
}

/** The dependencies of one kind. */
export function dependenciesOfKind<Spec>(
  context: Pick<ProgramContext<Spec>, "dependencies">,
  kind: string,
): StackDependency[] {
  return context.dependencies.filter((dependency) => dependency.kind === kind);
}

/** The one dependency of a kind, if any; validateDependencies has made sure there is at most one. */
export function dependencyOfKind<Spec>(
  context: Pick<ProgramContext<Spec>, "dependencies">,
  kind: string,
): StackDependency | undefined {
  return dependenciesOfKind(context, kind)[0];
}
