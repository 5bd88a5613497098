// The one writer of an operation's status. Each function is one transition of transitions.ts, in
// one transaction with the stack status that goes with it. A run is owned by (worker, fence): the
// fence is bumped whenever a worker takes the run (claim, or recovery taking it over), and every
// write of a run names it, so an owner that was superseded — cut off from Postgres, then taken
// over — writes nothing: its statements match no row.
import {
  EVENTS_CHANNEL,
  OPERATION_KINDS,
  type OperationError,
  type OperationKind,
  type OperationStatus,
  STACK_STATUSES,
  type StackStatus,
} from "@gantry/core";
import type { Db } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { PREPARED } from "../prepared.ts";
import { queueWebhook } from "../webhook-outbox.ts";
import { AHEAD_OF_O } from "./line.ts";
import { stackStatusAfter, stackStatusWhileRunning, step } from "./transitions.ts";

export type LifecycleDb = Pick<Db, "$transaction" | "$queryRaw">;
type Tx = Prisma.TransactionClient;

/** Who may write a running operation: its worker, with the fence it took the run with. */
export interface RunOwner {
  operationId: string;
  workerId: string;
  fence: number;
}

export interface ClaimedRun extends RunOwner {
  kind: OperationKind;
  stackId: string;
  /** Runs so far, this one included. */
  attempts: number;
}

const json = (value: unknown) => (value ?? undefined) as Prisma.InputJsonValue | undefined;

/**
 * The stack's status while each kind of operation runs, by "kind:status before", for the claim's
 * statement: transitions.ts stays the one place that says it.
 */
const WHILE_RUNNING = JSON.stringify(
  Object.fromEntries(
    OPERATION_KINDS.flatMap((kind) =>
      STACK_STATUSES.map((before) => [`${kind}:${before}`, stackStatusWhileRunning(kind, before)]),
    ),
  ),
);

/**
 * queued → running, for this worker, if it is the operation's turn on its stack and its retry
 * pause (not_before) is over; null when not. The caller holds the stack's advisory lock.
 *
 * One statement, on the path of every run to its engine (it was a five-statement transaction).
 * The stack's row is locked first, as every lifecycle write does. Its turn is judged on the
 * statement's snapshot, which may predate that lock's wait, and that is enough: the advisory lock
 * keeps any other claim on the stack out, the one-running index backs it, and the operation's own
 * row is checked again by Postgres if a cancel changed it meanwhile.
 */
export async function claimOperation(
  db: LifecycleDb,
  run: { operationId: string; workerId: string; leaseMs: number },
): Promise<ClaimedRun | null> {
  try {
    const [claimed] = await db.$queryRaw<
      { fence: number; attempts: number; kind: OperationKind; stackId: string }[]
    >`${PREPARED}
      WITH locked AS (
        SELECT s.id, s.status FROM stacks s JOIN operations o ON o.stack_id = s.id
         WHERE o.id = ${run.operationId}::uuid FOR UPDATE OF s
      ), claimed AS (
        UPDATE operations o
           SET status = 'running', started_at = now(), worker_id = ${run.workerId},
               lease_until = now() + ${run.leaseMs} * interval '1 millisecond',
               attempts = attempts + 1, fence = fence + 1, not_before = NULL,
               stack_status_before = COALESCE(o.stack_status_before, s.status)
          FROM locked s
         WHERE o.id = ${run.operationId}::uuid AND s.id = o.stack_id
           AND o.status = ${step("queued", "running")}
           AND (o.not_before IS NULL OR o.not_before <= now()) AND NOT ${AHEAD_OF_O}
        RETURNING o.fence, o.attempts, o.kind, o.stack_id, o.stack_status_before
      ), moved AS (
        UPDATE stacks s
           SET status = ${WHILE_RUNNING}::jsonb ->> (c.kind || ':' || c.stack_status_before), updated_at = now()
          FROM claimed c
         WHERE s.id = c.stack_id
      )
      SELECT fence, attempts, kind, stack_id::text AS "stackId" FROM claimed`;
    return claimed ? { operationId: run.operationId, workerId: run.workerId, ...claimed } : null;
  } catch (err) {
    // Another worker claimed an operation of the same stack at the same instant: not our turn.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/**
 * running → running under a new fence, for a worker recovering the run: only with the fence it
 * saw (nobody took it meanwhile) and, unless the caller is the owner itself, once the owner's
 * lease has run out. Its previous owner can write nothing from then on.
 */
export async function takeOverRun(
  db: LifecycleDb,
  run: {
    operationId: string;
    fence: number;
    workerId: string;
    leaseMs: number;
    leaseMustHaveExpired: boolean;
  },
): Promise<RunOwner | null> {
  const rows = await db.$queryRaw<{ fence: number }[]>`
    UPDATE operations
       SET fence = fence + 1, worker_id = ${run.workerId},
           lease_until = now() + ${run.leaseMs} * interval '1 millisecond'
     WHERE id = ${run.operationId}::uuid AND status = ${step("running", "running")} AND fence = ${run.fence}
       AND (NOT ${run.leaseMustHaveExpired} OR lease_until < now())
    RETURNING fence`;
  const taken = rows[0];
  return taken ? { operationId: run.operationId, workerId: run.workerId, fence: taken.fence } : null;
}

/**
 * Renews the run's lease and reads whether a cancel was asked for. `held: false` means the run
 * is no longer this owner's (taken over, or ended): its engine must stop at once.
 */
export async function renewLease(
  db: Pick<Db, "$queryRaw">,
  owner: RunOwner,
  leaseMs: number,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const rows = await db.$queryRaw<{ cancel_requested_at: Date | null }[]>`
    UPDATE operations SET lease_until = now() + ${leaseMs} * interval '1 millisecond'
     WHERE ${owned(owner)}
    RETURNING cancel_requested_at`;
  return { held: rows.length === 1, cancelRequested: Boolean(rows[0]?.cancel_requested_at) };
}

/**
 * Throws unless `owner` still owns the run: a run's other writes (drift reports, plans) go in one
 * transaction with it. Locks the stack, then the operation, as every lifecycle write does.
 */
export async function assertOwner(tx: Pick<Tx, "$queryRaw">, owner: RunOwner): Promise<void> {
  await lockStackOf(tx, owner.operationId);
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM operations WHERE ${owned(owner)} FOR UPDATE`;
  if (rows.length === 0) throw new LostRunError(owner);
}

export class LostRunError extends Error {
  constructor(owner: RunOwner) {
    super(`operation ${owner.operationId} is no longer run by ${owner.workerId} (fence ${owner.fence})`);
    this.name = "LostRunError";
  }
}

export type FinalStatus = Exclude<OperationStatus, "queued" | "running" | "awaiting_approval">;

export interface RunEnd {
  status: FinalStatus;
  error: OperationError | null;
  summary?: unknown;
  /** The per-resource plan or drift; absent: left as the run wrote it. */
  diff?: unknown;
  /** Non-secret outputs and the names of the secret ones; absent: unchanged. */
  outputs?: { values: Record<string, unknown>; secretNames: string[] } | null;
  /** The run changed nothing (a stale approved plan it refused): the stack keeps its status. */
  stackUnchanged?: boolean | undefined;
  /** The operation's approval record as the run left it; absent: unchanged. */
  approval?: unknown;
  /** A successful up: the blueprint version it applied, which the stack now has. */
  blueprintVersion?: number;
  /** A successful up: the released dependencies (by id) it did not use, which the stack now lets go. */
  releasedDependencies?: readonly string[];
}

/**
 * running → succeeded | failed | cancelled | interrupted, with the stack's status after it, its
 * outputs, a wake-up for live event streams and (`announce`) the operation.finished webhook.
 * Returns false, writing nothing, when `owner` no longer owns the run.
 */
export async function finishRun(
  db: LifecycleDb,
  owner: RunOwner,
  end: RunEnd,
  options: { announce: boolean },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockStackOf(tx, owner.operationId);
    const ended = await endRun(tx, owner, end.status, {
      status: end.status,
      // A retried run that succeeds no longer carries the error of the attempt before it.
      error: end.error ? json(end.error) : Prisma.DbNull,
      leaseUntil: null,
      finishedAt: new Date(),
      summary: json(end.summary),
      ...(end.diff !== undefined ? { diff: json(end.diff) } : {}),
      ...(end.approval !== undefined ? { approval: json(end.approval) } : {}),
    });
    if (!ended) return false;
    await tx.stack.update({
      where: { id: ended.stackId },
      data: {
        status: end.stackUnchanged
          ? ended.before
          : stackStatusAfter(ended.kind, ended.before, end.status === "succeeded"),
        lastOperationId: owner.operationId,
        ...(end.blueprintVersion !== undefined && end.status === "succeeded"
          ? { blueprintVersion: end.blueprintVersion }
          : {}),
        ...(end.outputs ? { outputs: json(end.outputs.values), secretOutputs: end.outputs.secretNames } : {}),
      },
    });
    // Still released (a change since may have taken one back), under the stack's lock.
    if (end.status === "succeeded" && end.releasedDependencies?.length)
      await tx.stackDependency.deleteMany({
        where: {
          stackId: ended.stackId,
          dependsOnId: { in: [...end.releasedDependencies] },
          releasedAt: { not: null },
        },
      });
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${owner.operationId})`;
    if (options.announce) {
      await queueWebhook(tx, { event: "operation.finished", operationId: owner.operationId });
    }
    return true;
  });
}

/**
 * running → queued, to run again once `delayMs` has passed (not_before): a transient failure's
 * backoff, or at once after recovery cleared an interrupted run's state. The stack goes back to
 * the status it had before the operation first started. False when `owner` no longer owns it.
 */
export async function requeueRun(
  db: LifecycleDb,
  owner: RunOwner,
  retry: { error: OperationError; delayMs: number; outputs?: RunEnd["outputs"] },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockStackOf(tx, owner.operationId);
    const ended = await endRun(tx, owner, "queued", {
      status: "queued",
      error: json(retry.error),
      leaseUntil: null,
      workerId: null,
      startedAt: null,
      notBefore: new Date(Date.now() + retry.delayMs),
    });
    if (!ended) return false;
    await tx.stack.update({
      where: { id: ended.stackId },
      data: {
        status: ended.before,
        ...(retry.outputs
          ? { outputs: json(retry.outputs.values), secretOutputs: retry.outputs.secretNames }
          : {}),
      },
    });
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${owner.operationId})`;
    return true;
  });
}

/**
 * queued → cancelled, for operations that never started (cancelled by a person, or superseded by
 * a newer up); the caller holds the stack's row lock. Returns the ids it cancelled.
 */
export async function cancelQueued(
  tx: Pick<Tx, "operation" | "$executeRaw">,
  operationIds: string[],
  message: string,
): Promise<string[]> {
  if (operationIds.length === 0) return [];
  const from = step("queued", "cancelled");
  const cancelled = await tx.operation.updateManyAndReturn({
    where: { id: { in: operationIds }, status: from },
    data: { status: "cancelled", finishedAt: new Date(), error: { message, retryable: false } },
    select: { id: true },
  });
  // Live event streams of these operations hear that they are over.
  for (const { id } of cancelled) await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${id})`;
  return cancelled.map(({ id }) => id);
}

/**
 * Takes the row lock of the operation's stack. Every transaction that writes a stack and its
 * operations takes the stack first, as the API's changes do (they lock the stack, then write
 * operations): the other order deadlocks against them.
 */
export async function lockStackOf(tx: Pick<Tx, "$queryRaw">, operationId: string): Promise<void> {
  await tx.$queryRaw`
    SELECT 1 FROM stacks s JOIN operations o ON o.stack_id = s.id
     WHERE o.id = ${operationId}::uuid FOR UPDATE OF s`;
}

/** The fenced update of a running operation; what the stack's update needs, or null. */
async function endRun(
  tx: Tx,
  owner: RunOwner,
  to: OperationStatus,
  data: Prisma.OperationUpdateManyMutationInput,
): Promise<{ stackId: string; kind: OperationKind; before: StackStatus } | null> {
  const [row] = await tx.operation.updateManyAndReturn({
    where: {
      id: owner.operationId,
      workerId: owner.workerId,
      fence: owner.fence,
      status: step("running", to),
    },
    data,
    select: { stackId: true, kind: true, stackStatusBefore: true },
  });
  if (!row) return null;
  return {
    stackId: row.stackId,
    kind: row.kind as OperationKind,
    before: (row.stackStatusBefore ?? "pending") as StackStatus,
  };
}

function owned(owner: RunOwner) {
  return Prisma.sql`id = ${owner.operationId}::uuid AND worker_id = ${owner.workerId}
    AND fence = ${owner.fence} AND status = 'running'`;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e.code === "23505" || e.meta?.code === "23505" || /23505|unique constraint/i.test(e.message ?? "");
}

/** A running operation as recovery sees it; `leaseExpired` by the database's clock, not a worker's. */
export interface RunningRun {
  operationId: string;
  stackId: string;
  fence: number;
  workerId: string | null;
  leaseExpired: boolean;
}

/** Every running operation, oldest first. */
export function runningRuns(db: Pick<Db, "$queryRaw">): Promise<RunningRun[]> {
  return db.$queryRaw<RunningRun[]>`
    SELECT id::text AS "operationId", stack_id::text AS "stackId", fence, worker_id AS "workerId",
           COALESCE(lease_until < now(), true) AS "leaseExpired"
      FROM operations WHERE status = 'running' ORDER BY started_at`;
}
