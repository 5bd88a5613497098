// Messages between the worker and the engine process it starts for one run (Node IPC channel).
// Nothing secret crosses it: outputs come back with secret values already removed.
import type { ChangeSummary, OperationError, ResourceChange } from "@gantry/core";
import type { DependencyRef } from "@gantry/stacks/engine";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

/**
 * What an engine process can do: the four Pulumi verbs; "outputs", which reads the stack's
 * outputs with secret values included (for an audited reveal; the only path secrets travel); and
 * "recover", which clears what a killed run left (state lock, pending operations) and refreshes.
 * Only call "recover" once the run that left them is known to be dead.
 */
export type EngineVerb = "up" | "preview" | "refresh" | "destroy" | "outputs" | "recover" | "drift-check";

export interface RunRequest {
  type: "run";
  verb: EngineVerb;
  /** Pulumi secrets provider: "passphrase" or a KMS URL. */
  secretsProvider: string;
  stack: { id: string; kind: string; name: string; teamName: string };
  spec: unknown;
  /** The kind's blueprint version the program builds (README, Blueprint versions). */
  blueprintVersion?: number;
  /** The stacks this one depends on; the program reads their outputs from their Pulumi stacks. */
  dependencies: DependencyRef[];
  /**
   * Secret input values handed off since the last run that stored them (the worker opened the
   * seal). The only secret a request carries; over the IPC channel only, never logged.
   */
  secretInputs?: Record<string, string>;
  /** up/preview: refresh the state from the real resources first (remediation of drift). */
  refresh?: boolean;
  /**
   * preview: save the engine's update plan and return it (`RunResult.plan`). up: the plan to apply
   * exactly (`pulumi up --plan`); the engine refuses any change beyond it. destroy with
   * `previewOnly`: only show what it would delete. Plans hold secret values only as ciphertext of
   * the stack's secrets provider.
   */
  savePlan?: boolean;
  plan?: string;
  previewOnly?: boolean;
  /** Whether the benchmark-only kinds may run (the worker's GANTRY_BENCH_KINDS). */
  benchKinds: boolean;
}

export interface RunOutputs {
  /** Non-secret output values (for the "outputs" verb, secret values too). */
  values: Record<string, unknown>;
  /** Names of secret outputs; their values stay in the encrypted state. */
  secretNames: string[];
}

export interface RunResult {
  ok: boolean;
  summary: ChangeSummary | null;
  outputs: RunOutputs | null;
  error: OperationError | null;
  /** The per-resource plan of a preview. */
  changes?: ResourceChange[];
  /** The engine's update plan a preview saved (savePlan), secrets encrypted. */
  plan?: string;
  /** What "recover" found and cleared. */
  recovery?: { pendingOperations: number };
  /** drift-check: the resources whose real state differs from the recorded one. */
  drift?: DriftedResource[];
}

/** One property of a drifted resource: what the state recorded, and what is really there. */
export interface DriftedProperty {
  name: string;
  expected: unknown;
  actual: unknown;
}

export interface DriftedResource {
  urn: string;
  type: string;
  /** "changed": it exists with other values; "deleted": it is gone. */
  change: "changed" | "deleted";
  properties: DriftedProperty[];
}

/** The result of a run that failed before or without the engine saying more. */
export function failedRun(message: string, retryable = false): RunResult {
  return { ok: false, summary: null, outputs: null, error: { message, retryable } };
}

export type RunnerMessage =
  | { type: "event"; event: EngineEvent }
  | { type: "started"; pid: number }
  | { type: "result"; result: RunResult };
