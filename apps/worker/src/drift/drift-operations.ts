// The two drift operation kinds, as run-operation.ts hands them over: each runs one or more
// engine processes under the stack lock the operation already holds.
import type { OperationKind } from "@gantry/core";
import type { RunResult } from "@gantry/engine";
import { runDriftCheck } from "./drift-check.ts";
import type { DriftDeps, DriftRun } from "./drift-context.ts";
import { runRemediation } from "./remediate.ts";

export const DRIFT_KINDS = ["drift-check", "remediate"] as const satisfies readonly OperationKind[];
export type DriftKind = (typeof DRIFT_KINDS)[number];

export function isDriftKind(kind: OperationKind): kind is DriftKind {
  return (DRIFT_KINDS as readonly string[]).includes(kind);
}

export function runDriftOperation(deps: DriftDeps, kind: DriftKind, run: DriftRun): Promise<RunResult> {
  return kind === "drift-check" ? runDriftCheck(deps, run) : runRemediation(deps, run);
}
