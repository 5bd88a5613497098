// Asking for a drift check or a remediation: an ordinary operation, written with its outbox entry
// in one transaction, serialized with the stack's other operations by the worker.
import type { Db, OperationModel as Operation, Prisma } from "@gantry/db";
import { enqueueOperation } from "@gantry/db";
import { type Caller, requesterOf, requireRole } from "../auth/roles.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, NotFoundError } from "../http/errors.ts";
import { lockStack } from "../stacks/stack-dependencies.ts";

export type DriftOperationKind = "drift-check" | "remediate";

/**
 * A burst of requests (a tool asking for a check on every stack at once) queues for the pool's
 * connections: wait for one rather than fail after Prisma's default 2 s (seen as 500s with 100
 * requests at once on a loaded machine).
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

export function createDriftRequests(deps: { db: Pick<Db, "$transaction"> }) {
  return {
    async request(caller: Caller, id: string, kind: DriftOperationKind): Promise<Operation> {
      // Putting resources back can replace or recreate them: an admin's decision.
      if (kind === "remediate") requireRole(caller, "admin", "remediate");
      return deps.db.$transaction(async (tx) => {
        if (!isUuid(id) || !(await lockStack(tx, caller.teamId, id))) throw new NotFoundError("stack", id);
        const stack = await tx.stack.findUniqueOrThrow({ where: { id } });
        const destroying = await tx.operation.findFirst({
          where: { stackId: id, kind: "destroy", status: { in: ["queued", "running"] } },
          select: { id: true },
        });
        if (stack.status === "destroyed" || stack.status === "destroying" || destroying) {
          throw new ConflictError(
            "stack_destroyed",
            `stack "${stack.name}" is destroyed or being destroyed; it has nothing to ${kind === "remediate" ? "remediate" : "check"}`,
          );
        }
        return enqueueOperation(tx, {
          teamId: caller.teamId,
          stackId: stack.id,
          kind,
          spec: stack.spec as Prisma.InputJsonValue,
          requestedBy: requesterOf(caller),
        });
      }, TRANSACTION_OPTIONS);
    },
  };
}

export type DriftRequests = ReturnType<typeof createDriftRequests>;
