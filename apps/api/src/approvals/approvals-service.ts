// Deciding an operation that waits for an approval (README, Approvals). Who may decide is the
// platform's rule: an admin, and not whoever asked for the change. The decision, its author and
// comment stay on the operation; the request itself is audited (operation.approve / .reject).
import type { ApprovalRecord } from "@gantry/core";
import {
  approveWaiting,
  closeWaiting,
  type Db,
  lockWaiting,
  type OperationModel as Operation,
} from "@gantry/db";
import { type Caller, requesterOf, requireRole } from "../auth/roles.ts";
import { CHANGE_TX } from "../change-transaction.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../http/errors.ts";

export interface ApprovalsDeps {
  db: Pick<Db, "$transaction">;
}

export type Decision = "approve" | "reject";

export function createApprovalsService(deps: ApprovalsDeps) {
  const { db } = deps;

  async function decide(caller: Caller, id: string, decision: Decision, comment: string): Promise<Operation> {
    requireRole(caller, "admin", `to ${decision} a change`);
    if (!isUuid(id)) throw new NotFoundError("operation", id);
    const outcome = await db.$transaction(async (tx) => {
      const waiting = await lockWaiting(tx, id, caller.teamId);
      if (!waiting) {
        const row = await tx.operation.findFirst({ where: { id, teamId: caller.teamId } });
        if (!row) throw new NotFoundError("operation", id);
        throw new ConflictError(
          "not_awaiting_approval",
          `operation ${id} is ${row.status}, not awaiting approval: there is nothing to ${decision}`,
        );
      }
      const who = requesterOf(caller);
      const { approval } = waiting;
      // An approval past its time is closed as expired, whatever was asked; the change must be asked again.
      if (approval.expiresAt && new Date(approval.expiresAt) <= new Date()) {
        const expired: ApprovalRecord = { ...approval, state: "expired" };
        await closeWaiting(tx, id, expired, `its approval expired at ${approval.expiresAt}`);
        return "expired" as const;
      }
      if (waiting.requestedBy === who)
        throw new ForbiddenError(
          `${who} requested this change and cannot ${decision} it: another admin must (rule "${approval.rule}")`,
        );
      const decided: ApprovalRecord = {
        ...approval,
        state: decision === "approve" ? "approved" : "rejected",
        decidedBy: who,
        decidedAt: new Date().toISOString(),
        comment,
      };
      if (decision === "approve") await approveWaiting(tx, id, decided);
      else await closeWaiting(tx, id, decided, `rejected by ${who}: ${comment}`);
      return tx.operation.findUniqueOrThrow({ where: { id } });
    }, CHANGE_TX);
    if (outcome === "expired")
      throw new ConflictError(
        "approval_expired",
        `the approval of operation ${id} expired; request the change again`,
      );
    return outcome;
  }

  return { decide };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
