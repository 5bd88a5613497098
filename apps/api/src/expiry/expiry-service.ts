// Ephemeral stacks (README, Ephemeral stacks): moving a stack's expiry, and the team's stacks that
// expire, soonest first. The worker's expiry schedule does the destroying.
import type { Db } from "@gantry/db";
import type { Caller } from "../auth/roles.ts";
import { CHANGE_TX } from "../change-transaction.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, NotFoundError } from "../http/errors.ts";
import { type LoadedStack, STACK_INCLUDE } from "../stacks/stack-view.ts";

export interface ExpiryDeps {
  db: Pick<Db, "stack" | "$transaction">;
}

export function createExpiryService(deps: ExpiryDeps) {
  const { db } = deps;
  return {
    /** A new expiry, warned of again before it comes; a reason it was blocked is cleared. */
    async extend(caller: Caller, id: string, expiresAt: Date): Promise<LoadedStack> {
      if (!isUuid(id)) throw new NotFoundError("stack", id);
      return db.$transaction(async (tx) => {
        const [stack] = await tx.$queryRaw<{ status: string; name: string }[]>`
          SELECT status, name FROM stacks WHERE id = ${id}::uuid AND team_id = ${caller.teamId}::uuid FOR UPDATE`;
        if (!stack) throw new NotFoundError("stack", id);
        if (stack.status === "destroying" || stack.status === "destroyed")
          throw new ConflictError(
            "stack_destroyed",
            `stack "${stack.name}" is ${stack.status}: it cannot be extended`,
          );
        return tx.stack.update({
          where: { id },
          data: { expiresAt, expiryWarnedAt: null, expiryBlockedReason: null },
          include: STACK_INCLUDE,
        });
      }, CHANGE_TX);
    },

    expiring(caller: Caller, limit: number) {
      return db.stack.findMany({
        where: { teamId: caller.teamId, expiresAt: { not: null }, status: { not: "destroyed" } },
        orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
        take: limit,
        select: {
          id: true,
          name: true,
          kind: true,
          status: true,
          expiresAt: true,
          expiryBlockedReason: true,
        },
      });
    },
  };
}

export type ExpiryService = ReturnType<typeof createExpiryService>;
