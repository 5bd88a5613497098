// A stored operation as the API shows it. Internals (team, worker, lease) never leave.
import type { ApprovalRecord, OperationKind, OperationStatus } from "@gantry/core";
import type { OperationModel as Operation } from "@gantry/db";
import type { OperationView } from "./operations-schemas.ts";

type JsonObject = Record<string, unknown>;

export function toOperationView(row: Operation): OperationView {
  return {
    id: row.id,
    stackId: row.stackId,
    kind: row.kind as OperationKind,
    status: row.status as OperationStatus,
    requestedBy: row.requestedBy,
    spec: (row.spec ?? {}) as JsonObject,
    summary: (row.summary ?? null) as OperationView["summary"],
    diff: row.diff ?? null,
    approval: approvalView(row.approval as ApprovalRecord | null),
    blueprintVersion: row.blueprintVersion,
    cancelRequested: row.cancelRequestedAt !== null,
    error: (row.error ?? null) as OperationView["error"],
    attempts: row.attempts,
    retryAt: row.status === "queued" && row.notBefore && row.notBefore > new Date() ? row.notBefore : null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

function approvalView(approval: ApprovalRecord | null): OperationView["approval"] {
  if (!approval) return null;
  const at = (value: string | undefined) => (value ? new Date(value) : null);
  return {
    state: approval.state,
    rule: approval.rule ?? null,
    reason: approval.reason ?? null,
    plannedAt: at(approval.plannedAt),
    expiresAt: at(approval.expiresAt),
    decidedBy: approval.decidedBy ?? null,
    decidedAt: at(approval.decidedAt),
    comment: approval.comment ?? null,
  };
}
