// Hands accepted operations to BullMQ. The API writes an outbox row in the same transaction as the
// operation and notifies on commit; the relay wakes on the notification and also sweeps on a timer,
// so nothing accepted is lost if a notification is missed or Redis was down. Adding a job whose
// jobId exists is a no-op, and the handler claims an operation only once, so re-sends are harmless.
import { type Logger, OUTBOX_CHANNEL } from "@gantry/core";
import type { Db } from "@gantry/db";
import type { Queue } from "bullmq";
import pg from "pg";
import { BACKGROUND_PRIORITY, backgroundOperations } from "../drift/priority.ts";

export interface RelayDeps {
  db: Pick<Db, "outboxEntry" | "operation">;
  queue: Pick<Queue, "add">;
  databaseUrl: string;
  logger: Logger;
  sweepIntervalMs?: number;
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
        const pending = await deps.db.outboxEntry.findMany({
          where: { dispatchedAt: null },
          orderBy: { id: "asc" },
          take: 200,
        });
        const background = await backgroundOperations(
          deps.db,
          pending.map((entry) => entry.operationId),
        );
        for (const entry of pending) {
          const priority = background.has(entry.operationId) ? { priority: BACKGROUND_PRIORITY } : {};
          await deps.queue.add(
            "operation.run",
            { operationId: entry.operationId },
            { jobId: entry.operationId, removeOnComplete: 1000, removeOnFail: 5000, ...priority },
          );
          await deps.db.outboxEntry.update({ where: { id: entry.id }, data: { dispatchedAt: new Date() } });
        }
        if (pending.length === 200) again = true;
      } while (again && !stopped);
    } catch (err) {
      // Redis or Postgres unavailable: entries stay pending and the next sweep retries them.
      deps.logger.warn({ err }, "outbox relay could not dispatch; will retry");
    } finally {
      running = false;
    }
  }

  const listener = new pg.Client({ connectionString: deps.databaseUrl });
  listener.on("notification", () => void drain());
  listener.on("error", (err) => deps.logger.warn({ err }, "outbox listener connection lost; sweeping only"));
  listener
    .connect()
    .then(() => listener.query(`LISTEN ${OUTBOX_CHANNEL}`))
    .then(() => drain())
    .catch((err) => deps.logger.warn({ err }, "outbox listener unavailable; sweeping only"));

  const timer = setInterval(() => void drain(), deps.sweepIntervalMs ?? 1000);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.end().catch(() => undefined);
    },
  };
}
