// Output contracts: typed sets of outputs that several kinds promise alike, so a dependent reads
// them the same way whichever kind it depends on (e.g. one cluster contract for eks-cluster and
// kubernetes-cluster). A renamed or missing output fails the registry and the kinds' tests, and a
// stack whose state lacks one fails its dependent's run with a message naming the output.

import type { z } from "zod";
import { formatIssues, toSpecIssues } from "../issues.ts";

export interface OutputContract<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** Stable name, used in messages: "cluster". */
  readonly name: string;
  readonly schema: z.ZodObject<Shape>;
}

export function defineContract<Shape extends z.ZodRawShape>(
  name: string,
  schema: z.ZodObject<Shape>,
): OutputContract<Shape> {
  return { name, schema };
}

/** Contract outputs the kind does not declare (empty when it meets them all). */
export function undeclaredContractOutputs(
  contract: OutputContract,
  declared: readonly { name: string }[],
): string[] {
  const names = new Set(declared.map((output) => output.name));
  return Object.keys(contract.schema.shape).filter((name) => !names.has(name));
}

/**
 * Checks a dependency's current output values (secret ones in plaintext, inside the engine
 * process only) against a contract; throws a message naming the dependency and the outputs
 * (never their values).
 */
export function checkContract(
  contract: OutputContract,
  dependency: { name: string; kind: string },
  values: Record<string, unknown>,
): void {
  const result = contract.schema.safeParse(values, {
    error: (issue) => (issue.input === undefined ? "is missing" : "does not have the expected type"),
  });
  if (result.success) return;
  throw new Error(
    `dependency "${dependency.name}" (${dependency.kind}) does not meet the ${contract.name} contract: ` +
      formatIssues(toSpecIssues(result.error.issues)),
  );
}
