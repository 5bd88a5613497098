// Accepting an operation: its row, an outbox row and a notification, all inside the caller's
// transaction. The notification is delivered on commit, so the relay never sees an operation
// that was rolled back, and the sweep catches any notification that is lost. Shared by the API
// (requests) and the worker (scheduled drift checks, auto-remediation).
import { type OperationKind, OUTBOX_CHANNEL } from "@gantry/core";
import type { Prisma } from "./generated/prisma/client.ts";
import type { OperationModel as Operation } from "./generated/prisma/models.ts";
import { cancelQueued } from "./lifecycle/operation-lifecycle.ts";

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
 * `firstOfStack`: the stack was created in this transaction, so nothing waits to be superseded.
 */
export async function enqueueOperation(
  tx: OutboxTx,
  input: NewOperation,
  options: { firstOfStack?: boolean } = {},
): Promise<Operation> {
  const operation = await tx.operation.create({ data: { ...input, status: "queued" } });
  if (input.kind === "up" && !options.firstOfStack)
    await supersedeWaitingUps(tx, input.stackId, operation.id);
  // The outbox row and its notification in one round trip.
  await tx.$executeRaw`
    WITH entry AS (INSERT INTO outbox (operation_id) VALUES (${operation.id}::uuid) RETURNING operation_id)
    SELECT pg_notify(${OUTBOX_CHANNEL}, operation_id::text) FROM entry`;
  return operation;
}

async function supersedeWaitingUps(tx: OutboxTx, stackId: string, newest: string): Promise<void> {
  const superseded = await tx.operation.findMany({
    where: { stackId, kind: "up", status: "queued", id: { not: newest } },
    select: { id: true },
  });
  await cancelQueued(
    tx,
    superseded.map((op) => op.id),
    `superseded by operation ${newest}, which applies a newer spec`,
  );
}

/** Many operations at once (the drift schedule's tick): three statements, one notification. */
export async function enqueueOperations(tx: OutboxTx, inputs: NewOperation[]): Promise<Operation[]> {
  if (inputs.length === 0) return [];
  const operations = await tx.operation.createManyAndReturn({
    data: inputs.map((input) => ({ ...input, status: "queued" })),
  });
  await tx.outboxEntry.createMany({ data: operations.map((operation) => ({ operationId: operation.id })) });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${operations.length}::text)`;
  return operations;
}
