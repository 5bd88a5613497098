// A new stack and its first `up`, accepted in one SQL statement: the stack row, the queued
// operation, its outbox row and the relay's notification (delivered on commit), as
// enqueueOperation would write them. A statement is atomic by itself, so the common create (no
// dependencies to lock, no secret inputs to hand off) needs no transaction and one round trip
// where the transactional path takes five. The callers with dependencies or secrets use that path.
import { OUTBOX_CHANNEL } from "@gantry/core";
import type { Prisma } from "./generated/prisma/client.ts";
import type { OperationModel, StackModel } from "./generated/prisma/models.ts";

export interface NewStack {
  teamId: string;
  kind: string;
  name: string;
  spec: Prisma.InputJsonObject;
  requestedBy: string;
}

type Row = { [column: string]: unknown };

/** Thrown when the team already has a stack of that name (the unique index decided). */
export class StackNameTaken extends Error {}

export async function createStackWithUp(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  input: NewStack,
): Promise<{ stack: StackModel; operation: OperationModel }> {
  const spec = JSON.stringify(input.spec);
  let rows: Row[];
  try {
    rows = await db.$queryRaw<Row[]>`
      WITH s AS (
        INSERT INTO stacks (id, team_id, kind, name, spec, status, updated_at)
        VALUES (gen_random_uuid(), ${input.teamId}::uuid, ${input.kind}, ${input.name}, ${spec}::jsonb, 'pending', now())
        RETURNING *
      ), o AS (
        INSERT INTO operations (id, team_id, stack_id, kind, status, spec, requested_by)
        SELECT gen_random_uuid(), s.team_id, s.id, 'up', 'queued', s.spec, ${input.requestedBy} FROM s
        RETURNING *
      ), e AS (
        INSERT INTO outbox (operation_id) SELECT id FROM o RETURNING operation_id
      ), n AS (
        SELECT pg_notify(${OUTBOX_CHANNEL}, operation_id::text) AS sent FROM e
      )
      SELECT
        s.id, s.team_id AS "teamId", s.kind, s.name, s.spec, s.status, s.outputs,
        s.secret_outputs AS "secretOutputs", s.drift_status AS "driftStatus",
        s.drift_checked_at AS "driftCheckedAt", s.last_operation_id AS "lastOperationId",
        s.drift_interval_seconds AS "driftIntervalSeconds", s.drift_next_check_at AS "driftNextCheckAt",
        s.auto_remediate AS "autoRemediate", s.remediation_needs_approval AS "remediationNeedsApproval",
        s.created_at AS "createdAt", s.updated_at AS "updatedAt",
        o.id AS "op_id", o.team_id AS "op_teamId", o.stack_id AS "op_stackId", o.kind AS "op_kind",
        o.status AS "op_status", o.spec AS "op_spec", o.requested_by AS "op_requestedBy",
        o.summary AS "op_summary", o.diff AS "op_diff", o.error AS "op_error", o.worker_id AS "op_workerId",
        o.lease_until AS "op_leaseUntil", o.cancel_requested_at AS "op_cancelRequestedAt",
        o.attempts AS "op_attempts", o.fence AS "op_fence", o.not_before AS "op_notBefore",
        o.stack_status_before AS "op_stackStatusBefore", o.created_at AS "op_createdAt",
        o.started_at AS "op_startedAt", o.finished_at AS "op_finishedAt"
      FROM s, o, n`;
  } catch (err) {
    if (isUniqueViolation(err)) throw new StackNameTaken(input.name);
    throw err;
  }
  const row = rows[0];
  if (!row) throw new Error("creating the stack returned no row");
  const stack: Row = {};
  const operation: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith("op_")) operation[column.slice(3)] = value;
    else stack[column] = value;
  }
  return { stack: stack as StackModel, operation: operation as OperationModel };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e.code === "23505" || e.meta?.code === "23505" || /23505|unique constraint/i.test(e.message ?? "");
}
