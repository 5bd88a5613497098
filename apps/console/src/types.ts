// The shapes the console reads: the typed client's, plus what the API types loosely (a preview's
// plan is `unknown` in its schema; README, Operations, describes it).
import type { components } from "@gantry/client";

export type { FleetDrift, Kind, Operation, Outputs, Stack } from "@gantry/client";
export type AuditEntry = components["schemas"]["AuditEntry"];
export type EngineEvent = components["schemas"]["OperationEvent"];

export interface PlanResource {
  urn: string;
  type: string;
  op: "create" | "update" | "replace" | "delete";
  properties?: { path: string; change: string; before?: unknown; after?: unknown }[];
}
