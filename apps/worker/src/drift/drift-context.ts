// What a drift-check or remediate run gets from the operation lifecycle (run-operation.ts): the
// operation, the engine request for its stack, and the hooks that store its events.
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import type { EngineSettings, RunHooks, runEngineProcess } from "@gantry/engine";
import type { StackRequest } from "../operations/engine-run.ts";
import type { Notify } from "../webhooks/webhook-events.ts";

export interface DriftDeps {
  db: Db;
  engine: EngineSettings;
  runEngine: typeof runEngineProcess;
  logger: Logger;
  /** Webhook notifications; absent when none are configured. */
  notify?: Notify;
}

export interface DriftRun {
  operation: { id: string; teamId: string; stackId: string };
  /** The engine request for the operation's stack; the handler picks the verb. */
  request: StackRequest;
  hooks: RunHooks;
}

/** Who asks when Gantry asks itself (operations' requestedBy). */
export const REQUESTED_BY_SCHEDULE = "schedule";
export const REQUESTED_BY_AUTO_REMEDIATION = "auto-remediation";
