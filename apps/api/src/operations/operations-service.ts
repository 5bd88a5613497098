// Operations of the caller's team: read one, a stack's history, its events, and cancel.

import type { ApprovalRecord } from "@gantry/core";
import { CANCEL_CHANNEL, FINISHED_OPERATION_STATUSES, type OperationStatus } from "@gantry/core";
import { cancelQueued, closeWaiting, type Db, type OperationModel as Operation } from "@gantry/db";
import { type Caller, requesterOf } from "../auth/roles.ts";
import { CHANGE_TX } from "../change-transaction.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, NotFoundError } from "../http/errors.ts";
import { afterCursor, NEWEST_FIRST, toPage } from "../http/keyset-cursor.ts";
import type { OperationEventView, OperationHistoryQuery } from "./operations-schemas.ts";

export interface OperationsDeps {
  db: Pick<Db, "operation" | "operationEvent" | "stack" | "$transaction">;
}

function isFinished(status: string): boolean {
  return FINISHED_OPERATION_STATUSES.includes(status as OperationStatus);
}

export function createOperationsService(deps: OperationsDeps) {
  const { db } = deps;

  async function get(caller: Caller, id: string): Promise<Operation> {
    const row = isUuid(id) ? await db.operation.findFirst({ where: { id, teamId: caller.teamId } }) : null;
    if (!row) throw new NotFoundError("operation", id);
    return row;
  }

  return {
    get,

    async history(caller: Caller, stackId: string, query: OperationHistoryQuery) {
      const stack = isUuid(stackId)
        ? await db.stack.findFirst({ where: { id: stackId, teamId: caller.teamId }, select: { id: true } })
        : null;
      if (!stack) throw new NotFoundError("stack", stackId);
      const rows = await db.operation.findMany({
        where: {
          stackId,
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...afterCursor(query.cursor),
        },
        orderBy: NEWEST_FIRST,
        take: query.limit + 1,
      });
      return toPage(rows, query.limit);
    },

    /** Events after `after`, and whether the log is complete (the operation ended before the read). */
    async events(caller: Caller, id: string, after: number, limit: number) {
      // Only the status: a live stream asks again on every wake-up, and the row holds spec and plan.
      const found = isUuid(id)
        ? await db.operation.findFirst({ where: { id, teamId: caller.teamId }, select: { status: true } })
        : null;
      if (!found) throw new NotFoundError("operation", id);
      const { status } = found;
      const rows = await db.operationEvent.findMany({
        where: { operationId: id, seq: { gt: after } },
        orderBy: { seq: "asc" },
        take: limit,
        select: { seq: true, type: true, payload: true, createdAt: true },
      });
      const events: OperationEventView[] = rows;
      const next = events.at(-1)?.seq ?? after;
      // Events are all stored before an operation's status says it ended (worker: outcome.ts).
      return { events, next, status, finished: isFinished(status) && events.length < limit };
    },

    /**
     * Cancels a queued operation at once; asks a running one to stop (its worker sends the engine
     * one SIGINT and records it `cancelled` when the engine has stopped). Asking again keeps the
     * time of the first request.
     */
    async cancel(caller: Caller, id: string): Promise<Operation> {
      if (!isUuid(id)) throw new NotFoundError("operation", id);
      return db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<
          { status: string; cancelRequestedAt: Date | null; approval: ApprovalRecord | null }[]
        >`
          SELECT status, cancel_requested_at AS "cancelRequestedAt", approval FROM operations
           WHERE id = ${id}::uuid AND team_id = ${caller.teamId}::uuid FOR UPDATE`;
        if (!row) throw new NotFoundError("operation", id);
        if (isFinished(row.status)) {
          throw new ConflictError("operation_finished", `operation ${id} has already ended (${row.status})`);
        }
        if (row.status === "queued") {
          await cancelQueued(tx, [id], `cancelled by ${requesterOf(caller)} before it started`);
          return tx.operation.findUniqueOrThrow({ where: { id } });
        }
        if (row.status === "awaiting_approval" && row.approval) {
          // Withdrawn before anyone decided: it ends as a rejection would.
          const message = `cancelled by ${requesterOf(caller)} while it awaited approval`;
          await closeWaiting(tx, id, { ...row.approval, state: "rejected" }, message);
          return tx.operation.findUniqueOrThrow({ where: { id } });
        }
        await tx.$executeRaw`SELECT pg_notify(${CANCEL_CHANNEL}, ${id})`;
        return tx.operation.update({
          where: { id },
          data: { cancelRequestedAt: row.cancelRequestedAt ?? new Date() },
        });
      }, CHANGE_TX);
    },
  };
}

export type OperationsService = ReturnType<typeof createOperationsService>;
