// The drift schedule: which stacks are due for a check, and their drift-check operations.
//
// One fleet-wide tick (a single BullMQ job scheduler, schedule-queue.ts) rather than one job
// scheduler per stack: with thousands of stacks, per-stack schedulers are thousands of entries in
// Redis to keep in step with Postgres as stacks come, go and change settings, and they fire at
// the same moments whenever they were created together. Here Postgres holds each stack's next due
// time; a stack seen for the first time gets a random phase within its interval, so checks are
// spread evenly over the interval (jitter), and every check moves the due time one interval on,
// keeping the phase. A tick is one indexed query (stacks_drift_next_check_at_idx) and touches only
// the stacks that are due, so its cost follows the rate of checks, not the size of the fleet.
// Rows are taken FOR UPDATE SKIP LOCKED: two workers ticking at once never take the same stack.

import { type Db, enqueueOperations, Prisma } from "@gantry/db";
import { REQUESTED_BY_SCHEDULE } from "./drift-context.ts";

export interface DriftScheduleSettings {
  /** For stacks without their own interval; 0: only stacks with their own interval are checked. */
  defaultIntervalSeconds: number;
}

export interface TickResult {
  /** Stacks that got their first due time. */
  phased: number;
  /** Drift checks queued. */
  queued: number;
  /** Stacks due while a drift check of theirs was still queued or running. */
  skipped: number;
}

interface DueStack {
  id: string;
  teamId: string;
  spec: Prisma.JsonValue;
  nextCheckAt: Date | null;
}

const BATCH = 500;

export async function enqueueDueDriftChecks(
  db: Pick<Db, "$transaction">,
  settings: DriftScheduleSettings,
  options: { now?: Date } = {},
): Promise<TickResult> {
  const now = options.now ?? new Date();
  const interval = Prisma.sql`COALESCE(drift_interval_seconds, ${settings.defaultIntervalSeconds}::int)`;
  // Set-based: a handful of statements per tick however many stacks are due, so the transaction
  // stays short (a statement per stack took over Prisma's 5 s limit for a few hundred stacks on a
  // loaded machine).
  return db.$transaction(
    async (tx) => {
      const due = await tx.$queryRaw<DueStack[]>`
        SELECT id::text AS id, team_id::text AS "teamId", spec, drift_next_check_at AS "nextCheckAt"
        FROM stacks
        WHERE status = 'ready' AND ${interval} > 0
          AND (drift_next_check_at IS NULL OR drift_next_check_at <= ${now})
        ORDER BY drift_next_check_at ASC NULLS FIRST
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED`;
      const unplaced = due.filter((stack) => !stack.nextCheckAt).map((stack) => stack.id);
      const scheduled = due.filter((stack) => stack.nextCheckAt);
      const busy = await pendingChecks(
        tx,
        scheduled.map((stack) => stack.id),
      );
      const toCheck = scheduled.filter((stack) => !busy.has(stack.id));

      if (unplaced.length > 0) {
        // A random phase within the interval: the spread (jitter) of the whole schedule.
        await tx.$executeRaw`
          UPDATE stacks SET drift_next_check_at = ${now}::timestamptz + random() * ${interval} * interval '1 second'
          WHERE id = ANY(${unplaced}::uuid[])`;
      }
      if (scheduled.length > 0) {
        // The next due time after now on the stack's own phase: a worker that was down for a
        // while checks once, not once per missed interval.
        await tx.$executeRaw`
          UPDATE stacks SET drift_next_check_at = drift_next_check_at + ${interval} * interval '1 second' *
            (floor(extract(epoch FROM (${now}::timestamptz - drift_next_check_at)) / ${interval}) + 1)
          WHERE id = ANY(${scheduled.map((stack) => stack.id)}::uuid[])`;
      }
      if (toCheck.length > 0) {
        await enqueueOperations(
          tx,
          toCheck.map((stack) => ({
            teamId: stack.teamId,
            stackId: stack.id,
            kind: "drift-check",
            spec: (stack.spec ?? {}) as Prisma.InputJsonValue,
            requestedBy: REQUESTED_BY_SCHEDULE,
          })),
        );
      }
      return { phased: unplaced.length, queued: toCheck.length, skipped: busy.size };
    },
    { timeout: 30_000 },
  );
}

/** Stacks among `ids` with a drift check already queued or running: never two at once. */
async function pendingChecks(tx: Pick<Prisma.TransactionClient, "operation">, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await tx.operation.findMany({
    where: { stackId: { in: ids }, kind: "drift-check", status: { in: ["queued", "running"] } },
    select: { stackId: true },
  });
  return new Set(rows.map((row) => row.stackId));
}
