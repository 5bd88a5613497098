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

import type { Db } from "@gantry/db";
import { enqueueOperation, type Prisma } from "@gantry/db";
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
  intervalSeconds: number;
}

const BATCH = 500;

export async function enqueueDueDriftChecks(
  db: Pick<Db, "$transaction">,
  settings: DriftScheduleSettings,
  options: { now?: Date; random?: () => number } = {},
): Promise<TickResult> {
  const now = options.now ?? new Date();
  const random = options.random ?? Math.random;
  return db.$transaction(async (tx) => {
    const due = await tx.$queryRaw<DueStack[]>`
      SELECT id::text AS id, team_id::text AS "teamId", spec, drift_next_check_at AS "nextCheckAt",
             COALESCE(drift_interval_seconds, ${settings.defaultIntervalSeconds}::int) AS "intervalSeconds"
      FROM stacks
      WHERE status = 'ready'
        AND COALESCE(drift_interval_seconds, ${settings.defaultIntervalSeconds}::int) > 0
        AND (drift_next_check_at IS NULL OR drift_next_check_at <= ${now})
      ORDER BY drift_next_check_at ASC NULLS FIRST
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    const result: TickResult = { phased: 0, queued: 0, skipped: 0 };
    const busy = await pendingChecks(
      tx,
      due.filter((stack) => stack.nextCheckAt).map((stack) => stack.id),
    );
    for (const stack of due) {
      const intervalMs = stack.intervalSeconds * 1000;
      let next: Date;
      if (!stack.nextCheckAt) {
        next = new Date(now.getTime() + Math.floor(random() * intervalMs));
        result.phased += 1;
      } else {
        // The next due time after now, on the stack's own phase (a worker that was down for a
        // while checks once, not once per missed interval).
        const behind = now.getTime() - stack.nextCheckAt.getTime();
        next = new Date(stack.nextCheckAt.getTime() + (Math.floor(behind / intervalMs) + 1) * intervalMs);
        if (busy.has(stack.id)) {
          result.skipped += 1;
        } else {
          await enqueueOperation(tx, {
            teamId: stack.teamId,
            stackId: stack.id,
            kind: "drift-check",
            spec: (stack.spec ?? {}) as Prisma.InputJsonValue,
            requestedBy: REQUESTED_BY_SCHEDULE,
          });
          result.queued += 1;
        }
      }
      await tx.stack.update({ where: { id: stack.id }, data: { driftNextCheckAt: next } });
    }
    return result;
  });
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
