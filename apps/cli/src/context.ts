// What every command runs with: the API client and where its output goes.
import type { GantryClient, Operation } from "@gantry/client";
import { CliError, EXIT } from "./exit-codes.ts";
import type { Output } from "./output.ts";

export interface Context {
  client: GantryClient;
  out: Output;
}

/** Exit 1 unless every operation succeeded. */
export function requireSucceeded(operations: readonly Operation[]): void {
  const failed = operations.filter((op) => op.status !== "succeeded");
  if (failed.length === 0) return;
  const why = failed.map(
    (op) => `${op.kind} ${op.id} ${op.status}${op.error ? `: ${op.error.message}` : ""}`,
  );
  throw new CliError(why.join("\n"), EXIT.operationFailed);
}
