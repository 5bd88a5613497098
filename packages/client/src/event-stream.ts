// Following an operation's engine log live: the API's text/event-stream, read through the typed
// client (so the route and its auth are the client's own) and parsed by eventsource-parser. The
// stream ends with an `end` event carrying the operation's final status; a connection that drops
// before it is opened again from the last event seen, so no event is missed or repeated.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { GantryClient } from "./client.ts";
import { GantryApiError } from "./errors.ts";
import type { components } from "./generated/openapi.ts";

export type OperationEvent = components["schemas"]["OperationEvent"];
export type OperationStatus = components["schemas"]["Operation"]["status"];

export interface FollowOptions {
  /** Start after this sequence number (0: from the first event). */
  after?: number;
  /** Called for each engine event, in order. */
  onEvent?: (event: OperationEvent) => void;
  /** Stops following (the promise then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** How many connections in a row may drop without delivering an event before giving up. */
  maxReconnects?: number;
}

/** Resolves with the operation's final status once the API says the operation has ended. */
export async function followOperationEvents(
  client: GantryClient,
  operationId: string,
  options: FollowOptions = {},
): Promise<OperationStatus> {
  let after = options.after ?? 0;
  let failures = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const before = after;
    let ended: OperationStatus | undefined;
    try {
      ended = await readOnce(client, operationId, after, options, (seq) => {
        after = seq;
      });
    } catch (err) {
      // An answer of the API (404, 401…) is final; a broken connection is tried again.
      if (err instanceof GantryApiError || options.signal?.aborted) throw err;
    }
    if (ended) return ended;
    failures = after > before ? 0 : failures + 1;
    if (failures > (options.maxReconnects ?? 5)) {
      throw new Error(`the event stream of operation ${operationId} kept closing before the operation ended`);
    }
  }
}

async function readOnce(
  client: GantryClient,
  operationId: string,
  after: number,
  options: FollowOptions,
  seen: (seq: number) => void,
): Promise<OperationStatus | undefined> {
  const { response, error } = await client.GET("/v1/operations/{id}/events", {
    params: { path: { id: operationId }, query: { after } },
    headers: { accept: "text/event-stream" },
    parseAs: "stream",
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok || !response.body) throw new GantryApiError(response.status, error);

  let ended: OperationStatus | undefined;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.event === "engine") {
        const event = JSON.parse(message.data) as OperationEvent;
        options.onEvent?.(event);
        seen(event.seq);
      } else if (message.event === "end") {
        ended = (JSON.parse(message.data) as { status: OperationStatus }).status;
      }
    },
  });
  const decoder = new TextDecoder();
  // A reader rather than async iteration: the console runs this in browsers too.
  const reader = response.body.getReader();
  try {
    while (!ended) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Closes the connection when the end came before the server closed it (an already closed
    // stream rejects, which changes nothing).
    await reader.cancel().catch(() => undefined);
  }
  return ended;
}
