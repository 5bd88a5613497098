// A new stack and its first `up`, accepted in one SQL statement: the stack row, the queued
// operation, its outbox row and the relay's notification (delivered on commit), as
// enqueueOperation would write them. A statement is atomic by itself, so the common create (no
// dependencies to lock, no secret inputs to hand off) needs no transaction and one round trip
// where the transactional path takes five. The callers with dependencies or secrets use that path.
import { OUTBOX_CHANNEL } from "@gantry/core";
import { operationColumns, splitStackRow, stackColumns } from "./columns.ts";
import { Prisma } from "./generated/prisma/client.ts";
import type { OperationModel, StackModel } from "./generated/prisma/models.ts";
import { PREPARED } from "./prepared.ts";
import { queryRows, type RawRunner } from "./raw-rows.ts";

export interface NewStack {
  teamId: string;
  kind: string;
  name: string;
  spec: Prisma.InputJsonObject;
  requestedBy: string;
  /** The Kubernetes resource that owns the stack, if one does. */
  managedBy: string | null;
  blueprintVersion: number;
  expiresAt: Date | null;
  /** The approval rules that may hold the `up` back (as enqueueOperation takes them). */
  approval?: Prisma.InputJsonValue | undefined;
}

type Row = { [column: string]: unknown };

/** The new stack's columns and its operation's (under `op_`), built once. */
const RETURNED = Prisma.sql`${stackColumns("s")}, ${operationColumns("o", "op_")}`;

/** Thrown when the team already has a stack of that name (the unique index decided). */
export class StackNameTaken extends Error {}

/** `db`: the pool, as the API calls it (no transaction needed), or a Prisma client. */
export async function createStackWithUp(
  db: RawRunner,
  input: NewStack,
): Promise<{ stack: StackModel; operation: OperationModel }> {
  const spec = JSON.stringify(input.spec);
  const approval = input.approval === undefined ? null : JSON.stringify(input.approval);
  let rows: { row: Row }[];
  try {
    // Each row one json value, as asJsonRows reads (a data-modifying WITH must stay on top).
    rows = await queryRows<{ row: Row }>(
      db,
      Prisma.sql`${PREPARED}
      WITH s AS (
        INSERT INTO stacks (id, team_id, kind, name, spec, status, managed_by, blueprint_version, expires_at, updated_at)
        VALUES (gen_random_uuid(), ${input.teamId}::uuid, ${input.kind}, ${input.name}, ${spec}::jsonb, 'pending',
          ${input.managedBy}, ${input.blueprintVersion}, ${input.expiresAt}::timestamptz, now())
        RETURNING *
      ), o AS (
        INSERT INTO operations (id, team_id, stack_id, kind, status, spec, requested_by, approval, blueprint_version)
        SELECT gen_random_uuid(), s.team_id, s.id, 'up', 'queued', s.spec, ${input.requestedBy},
          ${approval}::jsonb, s.blueprint_version FROM s
        RETURNING *
      ), e AS (
        INSERT INTO outbox (operation_id) SELECT id FROM o RETURNING operation_id
      ), n AS (
        SELECT pg_notify(${OUTBOX_CHANNEL}, operation_id::text) AS sent FROM e
      )
      SELECT row_to_json(r) AS row FROM (SELECT ${RETURNED} FROM s, o, n) r`,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new StackNameTaken(input.name);
    throw err;
  }
  const row = rows[0]?.row;
  if (!row) throw new Error("creating the stack returned no row");
  const { stack, operation } = splitStackRow(row);
  if (!operation) throw new Error("creating the stack returned no operation");
  return { stack: stack as StackModel, operation: operation as OperationModel };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e.code === "23505" || e.meta?.code === "23505" || /23505|unique constraint/i.test(e.message ?? "");
}
