// Ephemeral stacks' expiry (README, Ephemeral stacks): each tick warns of the stacks that expire
// within the warning time (once per expiry), queues the destroy of those whose time has come, and
// leaves a stack others still depend on standing, with the reason on it (as DELETE refuses it),
// and a protected one (its destroy needs an admin's approval, which no schedule gives).
// Rows are taken FOR UPDATE SKIP LOCKED: two workers ticking at once never take the same stack.
import {
  type Db,
  dependentNames,
  enqueueOperation,
  liveDependents,
  type Prisma,
  queueWebhook,
} from "@gantry/db";

export interface ExpirySettings {
  /** How long before its expiry a stack's `stack.expiring` webhook goes out. */
  warnSeconds: number;
}

export interface ExpiryTick {
  warned: number;
  destroyed: number;
  blocked: number;
}

/** Who asked, on the destroy operations the schedule queues. */
export const REQUESTED_BY_EXPIRY = "expiry";

const BATCH = 200;

export async function expireDueStacks(
  db: Pick<Db, "$transaction">,
  settings: ExpirySettings,
  options: { now?: Date } = {},
): Promise<ExpiryTick> {
  const now = options.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      const warned = await tx.$queryRaw<{ id: string }[]>`
        UPDATE stacks SET expiry_warned_at = ${now}
         WHERE id IN (
           SELECT id FROM stacks
            WHERE expires_at IS NOT NULL AND expiry_warned_at IS NULL
              AND expires_at <= ${now}::timestamptz + ${settings.warnSeconds} * interval '1 second'
              AND status NOT IN ('destroying', 'destroyed')
            LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id`;
      for (const { id } of warned) await queueWebhook(tx, { event: "stack.expiring", stackId: id });

      // Settled stacks only: one still being created or changed expires once its run is over.
      const due = await tx.$queryRaw<
        { id: string; teamId: string; spec: Prisma.JsonValue; blocked: string | null; protected: boolean }[]
      >`
        SELECT id::text AS id, team_id::text AS "teamId", spec, expiry_blocked_reason AS blocked, protected
          FROM stacks s
         WHERE expires_at <= ${now} AND status IN ('ready', 'failed')
           AND NOT EXISTS (SELECT 1 FROM operations o WHERE o.stack_id = s.id
                            AND o.status IN ('queued', 'running', 'awaiting_approval'))
         ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      let destroyed = 0;
      let blocked = 0;
      for (const stack of due) {
        const reason = await blockedBecause(tx, stack);
        if (reason) {
          blocked += 1;
          if (reason === stack.blocked) continue;
          await tx.stack.update({ where: { id: stack.id }, data: { expiryBlockedReason: reason } });
          await queueWebhook(tx, { event: "stack.expiry_blocked", stackId: stack.id });
          continue;
        }
        const operation = await enqueueOperation(tx, {
          teamId: stack.teamId,
          stackId: stack.id,
          kind: "destroy",
          spec: (stack.spec ?? {}) as Prisma.InputJsonValue,
          requestedBy: REQUESTED_BY_EXPIRY,
        });
        await tx.stack.update({ where: { id: stack.id }, data: { expiryBlockedReason: null } });
        await queueWebhook(tx, { event: "stack.expired", stackId: stack.id, operationId: operation.id });
        destroyed += 1;
      }
      return { warned: warned.length, destroyed, blocked };
    },
    { timeout: 30_000 },
  );
}

/** Why an expired stack is left standing, or undefined when its destroy can be queued. */
async function blockedBecause(
  tx: Prisma.TransactionClient,
  stack: { id: string; protected: boolean },
): Promise<string | undefined> {
  const dependents = await liveDependents(tx, stack.id);
  if (dependents.length > 0) {
    return `expired, but not destroyed: used by ${dependentNames(dependents)}; destroy those first or extend it`;
  }
  if (stack.protected)
    return "expired, but not destroyed: it is protected; an admin unprotects it, or extend it";
  return undefined;
}
