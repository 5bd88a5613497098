// The domain vocabulary shared by the API, the worker and the kind registry.

export const STACK_STATUSES = [
  "pending",
  "provisioning",
  "ready",
  "updating",
  "failed",
  "destroying",
  "destroyed",
] as const;
export type StackStatus = (typeof STACK_STATUSES)[number];

export const DRIFT_STATUSES = ["unknown", "in_sync", "drifted", "error"] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export const OPERATION_KINDS = ["up", "preview", "refresh", "destroy", "drift-check", "remediate"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const FINISHED_OPERATION_STATUSES: readonly OperationStatus[] = [
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
];

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Counts of resource changes in one run, as the engine reports them. */
export interface ChangeSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface OperationError {
  message: string;
  retryable: boolean;
}

/** What a run would do (preview) or did to one resource; secret values appear as "[secret]". */
export interface ResourceChange {
  urn: string;
  type: string;
  op: "create" | "update" | "replace" | "delete";
  properties: PropertyChange[];
}

export interface PropertyChange {
  /** Property path, e.g. `connectionLimit` or `tags.team`. */
  path: string;
  change: "add" | "update" | "delete";
  before?: unknown;
  after?: unknown;
}

/** A stack name is a DNS label: it becomes part of Pulumi stack names and database names. */
export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Postgres channel the API notifies on commit of an outbox row; the worker's relay listens on it. */
export const OUTBOX_CHANNEL = "gantry_outbox";
/** Postgres channel the API notifies with an operation id when someone cancels a running operation. */
export const CANCEL_CHANNEL = "gantry_cancel";
/** Postgres channel the worker notifies with an operation id when it stored events or finished it. */
export const EVENTS_CHANNEL = "gantry_events";
/** Tokens or teams changed (revoked, expired, renamed…): API processes drop their token cache. */
export const TOKENS_CHANNEL = "gantry_tokens";
