// The approval steps of an operation's lifecycle (README, Approvals): a run that previewed a
// change a rule holds back stores its plan and waits (running → awaiting_approval); a decision
// puts it back in line to apply that plan (→ queued) or ends it (→ cancelled), as does expiry.
import { type ApprovalRecord, EVENTS_CHANNEL, OUTBOX_CHANNEL } from "@gantry/core";
import type { Db } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { queueWebhook } from "../webhook-outbox.ts";
import { type LifecycleDb, lockStackOf, type RunOwner } from "./operation-lifecycle.ts";
import { step } from "./transitions.ts";

type Tx = Prisma.TransactionClient;
const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * running → awaiting_approval: the run's preview, its plan and why it waits are stored; the stack
 * goes back to the status it had; `approval.requested` is announced. False when `owner` no longer
 * owns the run (nothing written).
 */
export async function awaitApproval(
  db: LifecycleDb,
  owner: RunOwner,
  waiting: { plan: string | null; diff: unknown; summary: unknown; approval: ApprovalRecord },
  options: { announce: boolean },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockStackOf(tx, owner.operationId);
    const [row] = await tx.operation.updateManyAndReturn({
      where: {
        id: owner.operationId,
        workerId: owner.workerId,
        fence: owner.fence,
        status: step("running", "awaiting_approval"),
      },
      data: {
        status: "awaiting_approval",
        plan: waiting.plan,
        diff: json(waiting.diff ?? Prisma.DbNull),
        summary: json(waiting.summary ?? Prisma.DbNull),
        approval: json(waiting.approval),
        leaseUntil: null,
        workerId: null,
      },
      select: { stackId: true, stackStatusBefore: true },
    });
    if (!row) return false;
    await tx.stack.update({
      where: { id: row.stackId },
      data: { status: row.stackStatusBefore ?? "pending" },
    });
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${owner.operationId})`;
    if (options.announce)
      await queueWebhook(tx, { event: "approval.requested", operationId: owner.operationId });
    return true;
  });
}

/** The waiting operation, locked with its stack, or null when it is not waiting (or not the team's). */
export async function lockWaiting(
  tx: Pick<Tx, "$queryRaw">,
  operationId: string,
  teamId: string,
): Promise<{ requestedBy: string; approval: ApprovalRecord } | null> {
  await lockStackOf(tx, operationId);
  const [row] = await tx.$queryRaw<{ requestedBy: string; approval: ApprovalRecord }[]>`
    SELECT requested_by AS "requestedBy", approval FROM operations
     WHERE id = ${operationId}::uuid AND team_id = ${teamId}::uuid AND status = 'awaiting_approval'
     FOR UPDATE`;
  return row ?? null;
}

/**
 * awaiting_approval → queued, approved: back in line (in its original place) to apply its
 * stored plan; an outbox row hands it to a worker again. The caller holds lockWaiting's locks.
 */
export async function approveWaiting(tx: Tx, operationId: string, approval: ApprovalRecord): Promise<void> {
  const updated = await tx.operation.updateMany({
    where: { id: operationId, status: step("awaiting_approval", "queued") },
    data: { status: "queued", approval: json(approval), stackStatusBefore: null },
  });
  if (updated.count !== 1) throw new Error(`operation ${operationId} is not awaiting approval`);
  await tx.outboxEntry.create({ data: { operationId } });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${operationId})`;
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${operationId})`;
  await queueWebhook(tx, { event: "approval.decided", operationId });
}

/** awaiting_approval → cancelled: rejected or expired, with the sentence that says so. */
export async function closeWaiting(
  tx: Pick<Tx, "operation" | "$executeRaw" | "webhookOutboxEntry">,
  operationId: string,
  approval: ApprovalRecord,
  message: string,
): Promise<void> {
  const updated = await tx.operation.updateMany({
    where: { id: operationId, status: step("awaiting_approval", "cancelled") },
    data: {
      status: "cancelled",
      approval: json(approval),
      finishedAt: new Date(),
      error: { message, retryable: false },
    },
  });
  if (updated.count !== 1) throw new Error(`operation ${operationId} is not awaiting approval`);
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${operationId})`;
  await queueWebhook(tx, { event: "approval.decided", operationId });
}

/** Ends every approval whose time ran out (by the database's clock); returns their ids. */
export async function expireApprovals(db: Pick<Db, "$transaction">): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const due = await tx.$queryRaw<{ id: string; approval: ApprovalRecord }[]>`
      SELECT id::text AS id, approval FROM operations
       WHERE status = 'awaiting_approval' AND (approval->>'expiresAt')::timestamptz < now()
       FOR UPDATE SKIP LOCKED`;
    for (const { id, approval } of due) {
      const expired: ApprovalRecord = { ...approval, state: "expired" };
      await closeWaiting(tx, id, expired, `its approval expired at ${approval.expiresAt}`);
    }
    return due.map(({ id }) => id);
  });
}
