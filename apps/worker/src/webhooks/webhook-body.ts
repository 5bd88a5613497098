// The JSON a receiver gets, built from Postgres when the delivery runs. Only what the API would
// show a viewer: no specs' secrets exist (secret outputs stay in the state), drift values are
// already blinded, operation errors are redacted by the engine module.
import type { Db } from "@gantry/db";
import type { WebhookNotification } from "./webhook-events.ts";

type Reader = Pick<Db, "operation" | "stack" | "driftReport" | "rollout" | "team">;

const STACK_FIELDS = {
  id: true,
  name: true,
  kind: true,
  status: true,
  driftStatus: true,
  team: { select: { name: true } },
} as const;

export async function webhookBody(
  db: Reader,
  notification: WebhookNotification,
  meta: { deliveryId: string; occurredAt: string },
): Promise<Record<string, unknown>> {
  const base = { id: meta.deliveryId, event: notification.event, occurredAt: meta.occurredAt };
  switch (notification.event) {
    case "approval.requested":
    case "approval.decided": {
      // The rule, the reason, the decision and the blinded per-resource diff; never the plan.
      const operation = await db.operation.findUniqueOrThrow({
        where: { id: notification.operationId },
        select: {
          id: true,
          kind: true,
          status: true,
          requestedBy: true,
          summary: true,
          diff: true,
          approval: true,
          createdAt: true,
          stack: { select: STACK_FIELDS },
        },
      });
      const { stack, ...rest } = operation;
      return { ...base, stack, operation: rest };
    }
    case "stack.expiring":
    case "stack.expired":
    case "stack.expiry_blocked": {
      const stack = await db.stack.findUniqueOrThrow({
        where: { id: notification.stackId },
        select: { ...STACK_FIELDS, expiresAt: true, expiryBlockedReason: true },
      });
      const operationId = notification.event === "stack.expired" ? notification.operationId : undefined;
      return { ...base, stack, ...(operationId ? { destroyOperationId: operationId } : {}) };
    }
    case "operation.finished": {
      const operation = await db.operation.findUniqueOrThrow({
        where: { id: notification.operationId },
        select: {
          id: true,
          kind: true,
          status: true,
          requestedBy: true,
          summary: true,
          error: true,
          createdAt: true,
          startedAt: true,
          finishedAt: true,
          stack: { select: STACK_FIELDS },
        },
      });
      const { stack, ...rest } = operation;
      return { ...base, stack, operation: rest };
    }
    case "drift.detected":
    case "drift.resolved": {
      const stack = await db.stack.findUniqueOrThrow({
        where: { id: notification.stackId },
        select: STACK_FIELDS,
      });
      const report = notification.reportId
        ? await db.driftReport.findUniqueOrThrow({
            where: { id: notification.reportId },
            select: {
              id: true,
              status: true,
              resources: true,
              remediation: true,
              checkedAt: true,
              operationId: true,
            },
          })
        : null;
      const operationId = notification.event === "drift.resolved" ? notification.operationId : undefined;
      return { ...base, stack, report, ...(operationId ? { remediationOperationId: operationId } : {}) };
    }
    case "rollout.paused":
    case "rollout.resumed":
    case "rollout.finished":
    case "rollout.cancelled": {
      // The rollout as it is at delivery, how far each stack got, and what the notification carried.
      const { stacks, teamId, ...rollout } = await db.rollout.findUniqueOrThrow({
        where: { id: notification.rolloutId },
        select: {
          id: true,
          teamId: true,
          kind: true,
          targetVersion: true,
          status: true,
          waves: true,
          currentWave: true,
          requestedBy: true,
          createdAt: true,
          finishedAt: true,
          stacks: { select: { state: true } },
        },
      });
      const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { name: true } });
      const progress: Record<string, number> = {};
      for (const { state } of stacks) progress[state] = (progress[state] ?? 0) + 1;
      const said =
        notification.event === "rollout.paused"
          ? { reason: notification.reason }
          : notification.event === "rollout.finished"
            ? {}
            : { by: notification.by };
      return { ...base, rollout: { ...rollout, team, progress }, ...said };
    }
  }
}
