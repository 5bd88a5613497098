// Stores engine events in batches, in order: one insert per batch instead of one per event keeps
// a chatty run from turning into thousands of round trips. Each stored batch is announced on
// EVENTS_CHANNEL, which is how the API's live event streams learn there is more to read.
import { EVENTS_CHANNEL, type Logger } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

const FLUSH_EVERY_MS = 200;
const MAX_BATCH = 200;

export interface EventWriter {
  push(event: EngineEvent): void;
  /** Writes what is buffered and stops; resolves when everything is stored. */
  close(): Promise<void>;
}

export type EventWriterDb = Pick<Db, "operationEvent" | "$executeRaw">;

/**
 * Opens the operation's event log for appending: a retried or recovered operation keeps the
 * events of its earlier attempts, and the new ones follow them. Where the log ends is read while
 * the engine starts, not before it: events are numbered as their batches are written, in order.
 */
export function openEventWriter(
  deps: { db: EventWriterDb; logger: Logger; store?: boolean },
  operationId: string,
): EventWriter {
  const readLast = () =>
    deps.db.operationEvent
      .aggregate({ where: { operationId }, _max: { seq: true } })
      .then((found) => found._max.seq ?? 0);
  let last = readLast();
  last.catch(() => undefined); // awaited by the first batch
  let seq: number | undefined;
  let buffer: Omit<Prisma.OperationEventCreateManyInput, "seq">[] = [];
  let chain: Promise<void> = Promise.resolve();

  const flush = () => {
    if (buffer.length === 0) return chain;
    const batch = buffer;
    buffer = [];
    chain = chain.then(async () => {
      // A failed read is tried again (by this batch once, then by each next one).
      let next = seq ?? (await last.catch(() => (last = readLast())));
      const numbered = batch.map((event) => ({ ...event, seq: ++next }));
      seq = next;
      await deps.db.operationEvent.createMany({ data: numbered });
      await deps.db.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${operationId})`;
    });
    chain = chain.catch((err) => {
      // Events are the log of the run, not its outcome: a failed batch is reported, the run goes on.
      deps.logger.error({ err, operationId, lost: batch.length }, "could not store engine events");
    });
    return chain;
  };
  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);

  return {
    push(event) {
      // Storage can be switched off (GANTRY_STORE_EVENTS=false) to measure what it costs.
      if (deps.store === false) return;
      buffer.push({
        operationId,
        type: eventType(event),
        payload: event as unknown as Prisma.InputJsonValue,
      });
      if (buffer.length >= MAX_BATCH) void flush();
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** The engine event's kind is the name of its one payload field, e.g. "diagnosticEvent" → "diagnostic". */
export function eventType(event: EngineEvent): string {
  const key = Object.keys(event).find((k) => k.endsWith("Event"));
  return key ? key.slice(0, -"Event".length) : "unknown";
}
