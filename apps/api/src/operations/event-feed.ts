// Wakes live event streams when the worker stores events of an operation or ends it: one LISTEN
// connection per API process, fanned out to the streams that follow each operation.
import { EVENTS_CHANNEL, type Logger } from "@gantry/core";
import { listen } from "@gantry/db";

export interface EventFeed {
  /** Calls `onChange` whenever the operation may have new events or a new status. */
  subscribe(operationId: string, onChange: () => void): () => void;
  close(): Promise<void>;
}

export function createEventFeed(deps: { databaseUrl: string; logger: Logger }): EventFeed {
  const subscribers = new Map<string, Set<() => void>>();
  const listener = listen(
    deps.databaseUrl,
    EVENTS_CHANNEL,
    (operationId) => {
      for (const notify of subscribers.get(operationId) ?? []) notify();
    },
    deps.logger,
  );
  return {
    subscribe(operationId, onChange) {
      const set = subscribers.get(operationId) ?? new Set();
      set.add(onChange);
      subscribers.set(operationId, set);
      return () => {
        set.delete(onChange);
        if (set.size === 0) subscribers.delete(operationId);
      };
    },
    close: () => listener.stop(),
  };
}
