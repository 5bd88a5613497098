// Hands accepted operations to BullMQ. The API writes an outbox row in the same transaction as the
// operation and notifies on commit; the relay wakes on the notification and also sweeps on a timer,
// so nothing accepted is lost if a notification is missed or Redis was down. Adding a job whose
// jobId exists is a no-op, and the handler claims an operation only once, so re-sends are harmless.
import { type Logger, OUTBOX_CHANNEL } from "@gantry/core";
import { type Db, listen, PREPARED } from "@gantry/db";
import type { Queue } from "bullmq";
import { priorityFor } from "../drift/priority.ts";
import { addRunJobs } from "../queue/catalog.ts";
import { type RedispatchQueue, redispatchOrphans } from "./redispatch.ts";

export interface RelayDeps {
  db: Pick<Db, "outboxEntry" | "operation" | "$queryRaw">;
  queue: RedispatchQueue & Pick<Queue, "addBulk">;
  databaseUrl: string;
  logger: Logger;
  sweepIntervalMs?: number;
  /** How often queued operations are checked for a job in Redis (see redispatch.ts). */
  orphanSweepIntervalMs?: number;
}

const BATCH = 200;

/**
 * The next batch not yet dispatched, oldest first, with who requested each operation (its job's
 * priority): one round trip on the path of every accepted operation.
 */
function pendingEntries(db: Pick<Db, "$queryRaw">) {
  return db.$queryRaw<{ id: bigint; operationId: string; requestedBy: string | null }[]>`${PREPARED}
    SELECT e.id, e.operation_id AS "operationId", o.requested_by AS "requestedBy"
      FROM (SELECT id, operation_id FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT ${BATCH}) e
      LEFT JOIN operations o ON o.id = e.operation_id
     ORDER BY e.id`;
}

export function startOutboxRelay(deps: RelayDeps): { stop: () => Promise<void> } {
  let running = false;
  let again = false;
  let stopped = false;

  async function drain(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const pending = await pendingEntries(deps.db);
        // One Redis round trip and one update per batch, not two per operation: a burst of
        // accepted operations reaches the queue at the pace of the batch, not of its size.
        if (pending.length > 0) {
          await addRunJobs(
            deps.queue,
            pending.map((entry) => ({
              operationId: entry.operationId,
              priority: priorityFor(entry.requestedBy ?? ""),
            })),
          );
          await deps.db.outboxEntry.updateMany({
            where: { id: { in: pending.map((entry) => entry.id) } },
            data: { dispatchedAt: new Date() },
          });
        }
        if (pending.length === BATCH) again = true;
      } while (again && !stopped);
    } catch (err) {
      // Redis or Postgres unavailable: entries stay pending and the next sweep retries them.
      deps.logger.warn({ err }, "outbox relay could not dispatch; will retry");
    } finally {
      running = false;
    }
  }

  const listener = listen(deps.databaseUrl, OUTBOX_CHANNEL, () => void drain(), deps.logger);
  void drain();
  const timer = setInterval(() => void drain(), deps.sweepIntervalMs ?? 1000);
  const orphans = setInterval(
    () =>
      void redispatchOrphans(deps).catch((err) =>
        deps.logger.warn({ err }, "could not check queued operations for their jobs; will retry"),
      ),
    deps.orphanSweepIntervalMs ?? 10_000,
  );

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(orphans);
      await listener.stop();
    },
  };
}
