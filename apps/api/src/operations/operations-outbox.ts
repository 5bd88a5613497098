// Accepting an operation: its row, an outbox row and a notification, all inside the caller's
// transaction. The notification is delivered on commit, so the relay never sees an operation
// that was rolled back, and the sweep catches any notification that is lost.
import { EVENTS_CHANNEL, type OperationKind, OUTBOX_CHANNEL } from "@gantry/core";
import type { OperationModel as Operation, Prisma } from "@gantry/db";

export interface NewOperation {
  teamId: string;
  stackId: string;
  kind: OperationKind;
  /** The spec the run applies, frozen now. */
  spec: Prisma.InputJsonValue;
  requestedBy: string;
}

export type OutboxTx = Pick<Prisma.TransactionClient, "operation" | "outboxEntry" | "$executeRaw">;

/**
 * Queues an operation. A new `up` supersedes the `up`s still waiting on the same stack: only the
 * newest spec is worth applying, so a burst of changes costs one run, not one per change. The
 * caller holds the stack's row lock, so two requests never supersede each other crosswise.
 */
export async function enqueueOperation(tx: OutboxTx, input: NewOperation): Promise<Operation> {
  const operation = await tx.operation.create({ data: { ...input, status: "queued" } });
  if (input.kind === "up") {
    const superseded = await tx.operation.findMany({
      where: { stackId: input.stackId, kind: "up", status: "queued", id: { not: operation.id } },
      select: { id: true },
    });
    if (superseded.length > 0) {
      await tx.operation.updateMany({
        where: { id: { in: superseded.map((op) => op.id) }, status: "queued" },
        data: {
          status: "cancelled",
          finishedAt: new Date(),
          error: {
            message: `superseded by operation ${operation.id}, which applies a newer spec`,
            retryable: false,
          },
        },
      });
      for (const { id } of superseded) await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${id})`;
    }
  }
  await tx.outboxEntry.create({ data: { operationId: operation.id } });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${operation.id})`;
  return operation;
}
