// New stacks and their first `up`s, accepted in one SQL statement: the stack rows, the queued
// operations, their outbox rows and the relay's notifications (delivered on commit), as
// enqueueOperation would write them. A statement is atomic by itself, so the common create (no
// dependencies to lock, no secret inputs to hand off) needs no transaction and one round trip
// where the transactional path takes five; the API sends the creates that arrive together as one
// statement. The callers with dependencies or secrets use the transactional path.
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

/** Thrown when a name is already taken (the unique index decided): the team has it, or the batch names it twice. */
export class StackNameTaken extends Error {}

export interface CreatedStack {
  stack: StackModel;
  operation: OperationModel;
}

/** Each input's columns as one array, in the order of the statement's unnest(). */
function columnArrays(inputs: readonly NewStack[]) {
  const column = <T>(value: (input: NewStack) => T) => inputs.map(value);
  return [
    column((input) => input.teamId),
    column((input) => input.kind),
    column((input) => input.name),
    column((input) => JSON.stringify(input.spec)),
    column((input) => input.managedBy),
    column((input) => input.blueprintVersion),
    column((input) => input.expiresAt),
    column((input) => input.requestedBy),
    column((input) => (input.approval === undefined ? null : JSON.stringify(input.approval))),
  ];
}

/**
 * Creates the stacks, each with its `up`, in one statement: any name already taken fails them all
 * (StackNameTaken; the API then tries each alone). `db`: the pool, as the API calls it (no
 * transaction needed), or a Prisma client. The results are in the inputs' order.
 */
export async function createStacksWithUp(
  db: RawRunner,
  inputs: readonly NewStack[],
): Promise<CreatedStack[]> {
  const [teams, kinds, names, specs, managers, versions, expiries, requesters, approvals] =
    columnArrays(inputs);
  let rows: { row: Row }[];
  try {
    // Each row one json value, as asJsonRows reads (a data-modifying WITH must stay on top).
    rows = await queryRows<{ row: Row }>(
      db,
      Prisma.sql`${PREPARED}
      WITH i AS (
        SELECT * FROM unnest(${teams}::uuid[], ${kinds}::text[], ${names}::text[], ${specs}::jsonb[],
          ${managers}::text[], ${versions}::int[], ${expiries}::timestamptz[], ${requesters}::text[],
          ${approvals}::jsonb[])
          AS i(team_id, kind, name, spec, managed_by, blueprint_version, expires_at, requested_by, approval)
      ), s AS (
        INSERT INTO stacks (id, team_id, kind, name, spec, status, managed_by, blueprint_version, expires_at, updated_at)
        SELECT gen_random_uuid(), team_id, kind, name, spec, 'pending', managed_by, blueprint_version, expires_at, now()
        FROM i
        RETURNING *
      ), o AS (
        INSERT INTO operations (id, team_id, stack_id, kind, status, spec, requested_by, approval, blueprint_version)
        SELECT gen_random_uuid(), s.team_id, s.id, 'up', 'queued', s.spec, i.requested_by, i.approval, s.blueprint_version
        FROM s JOIN i ON i.team_id = s.team_id AND i.name = s.name
        RETURNING *
      ), e AS (
        INSERT INTO outbox (operation_id) SELECT id FROM o RETURNING operation_id
      ), n AS (
        SELECT operation_id, pg_notify(${OUTBOX_CHANNEL}, operation_id::text) AS sent FROM e
      )
      SELECT row_to_json(r) AS row FROM (
        SELECT ${RETURNED} FROM s JOIN o ON o.stack_id = s.id JOIN n ON n.operation_id = o.id
      ) r`,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new StackNameTaken(inputs.length === 1 ? inputs[0]?.name : undefined);
    throw err;
  }
  const created = new Map<string, CreatedStack>();
  for (const { row } of rows) {
    const { stack, operation } = splitStackRow(row);
    if (!operation) throw new Error("creating a stack returned no operation");
    created.set(`${stack.teamId}/${stack.name}`, {
      stack: stack as StackModel,
      operation: operation as OperationModel,
    });
  }
  return inputs.map((input) => {
    const result = created.get(`${input.teamId}/${input.name}`);
    if (!result) throw new Error(`creating stack "${input.name}" returned no row`);
    return result;
  });
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e.code === "23505" || e.meta?.code === "23505" || /23505|unique constraint/i.test(e.message ?? "");
}
