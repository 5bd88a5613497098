// What a drift-check or remediate run gets from the operation lifecycle (run-operation.ts): the
// operation, the engine request for its stack, and the hooks that store its events.
import type { Logger } from "@gantry/core";
import type { Db, RunOwner } from "@gantry/db";
import type { EngineSettings, RunHooks, runEngineProcess } from "@gantry/engine";
import type { StackRequest } from "../operations/engine-run.ts";

export interface DriftDeps {
  db: Db;
  engine: EngineSettings;
  runEngine: typeof runEngineProcess;
  logger: Logger;
  /** Whether webhook receivers are configured (notifications go to the webhook outbox). */
  webhooks: boolean;
}

export interface DriftRun {
  operation: { id: string; teamId: string; stackId: string };
  /** Who runs it: every write of the run is fenced with it (assertOwner in its transaction). */
  owner: RunOwner;
  /** The engine request for the operation's stack; the handler picks the verb. */
  request: StackRequest;
  hooks: RunHooks;
}

/** Who asks when Gantry asks itself (operations' requestedBy). */
export const REQUESTED_BY_SCHEDULE = "schedule";
export const REQUESTED_BY_AUTO_REMEDIATION = "auto-remediation";
