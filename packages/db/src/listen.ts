// Postgres LISTEN on a connection of its own, reconnecting after it breaks. Notifications are a
// fast path only: every user of this also sweeps on a timer, so one missed while the connection
// was down costs latency, never correctness.
import type { Logger } from "@gantry/core";
import pg from "pg";

const RECONNECT_MS = 1_000;

export interface Listener {
  stop(): Promise<void>;
}

/** For a user that must know when notifications may have been missed (a cache). */
export interface ListenerStates {
  /** LISTEN is in effect: from now on, every notification arrives. */
  onListening?: () => void;
  /** The connection broke: notifications may be missed until the next onListening. */
  onLost?: () => void;
}

export function listen(
  databaseUrl: string,
  channel: string,
  onNotification: (payload: string) => void,
  logger: Logger,
  states: ListenerStates = {},
): Listener {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = () => {
    if (stopped) return;
    const next = new pg.Client({
      connectionString: databaseUrl,
      application_name: `gantry-listen-${channel}`,
    });
    client = next;
    next.on("notification", (message) => onNotification(message.payload ?? ""));
    // A connection closed without an error (a server ending idle sessions) is lost all the same.
    next.on("end", () => {
      if (stopped || client !== next) return;
      states.onLost?.();
      retry();
    });
    next.on("error", (err) => {
      if (client === next) states.onLost?.();
      logger.warn({ err, channel }, "notification connection lost; reconnecting");
      void next.end().catch(() => undefined);
      retry();
    });
    next
      .connect()
      .then(() => next.query(`LISTEN ${pg.escapeIdentifier(channel)}`))
      .then(() => {
        if (!stopped && client === next) states.onListening?.();
      })
      .catch((err) => {
        logger.warn({ err, channel }, "could not listen for notifications; retrying");
        void next.end().catch(() => undefined);
        retry();
      });
  };
  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, RECONNECT_MS);
  };
  connect();

  return {
    async stop() {
      stopped = true;
      states.onLost?.();
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
