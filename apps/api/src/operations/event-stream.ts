// `GET /v1/operations/:id/events` as a text/event-stream: the stored events after the client's
// position, then new ones as the worker stores them, then an `end` event when the operation is
// over. Each event's id is its sequence number, so a client that reconnects with Last-Event-ID
// (or ?after=) gets exactly the events it has not seen: none missed, none repeated.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../auth/roles.ts";
import type { EventFeed } from "./event-feed.ts";
import type { OperationsService } from "./operations-service.ts";

/** A missed notification costs at most this much delay. */
const POLL_MS = 2_000;
/** Comment lines keep idle connections open through proxies. */
const KEEPALIVE_MS = 15_000;
const PAGE = 500;

export async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { operations: Pick<OperationsService, "events">; feed: EventFeed },
  from: { caller: Caller; operationId: string; after: number },
): Promise<void> {
  const { caller, operationId } = from;
  let after = from.after;
  // The first read happens before the stream opens, so an unknown operation is still a 404.
  let first: Awaited<ReturnType<OperationsService["events"]>> | undefined = await deps.operations.events(
    caller,
    operationId,
    after,
    PAGE,
  );

  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });

  let closed = false;
  let pumping: Promise<void> | undefined;
  let again = false;

  const pump = async (): Promise<void> => {
    for (;;) {
      const page = first ?? (await deps.operations.events(caller, operationId, after, PAGE));
      first = undefined;
      for (const event of page.events) {
        raw.write(`id: ${event.seq}\nevent: engine\ndata: ${JSON.stringify(event)}\n\n`);
      }
      after = page.next;
      if (page.finished) {
        raw.write(`event: end\ndata: ${JSON.stringify({ status: page.status })}\n\n`);
        stop();
        return;
      }
      if (page.events.length < PAGE) return;
    }
  };
  const wake = () => {
    if (closed) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump()
      .catch((err) => {
        request.log.warn({ err, operationId }, "event stream failed");
        stop();
      })
      .finally(() => {
        pumping = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  };

  const unsubscribe = deps.feed.subscribe(operationId, wake);
  const poll = setInterval(wake, POLL_MS);
  const keepalive = setInterval(() => raw.write(": keep-alive\n\n"), KEEPALIVE_MS);
  function stop() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(keepalive);
    raw.end();
  }
  raw.on("close", stop);
  wake();
}

/** Where a stream starts: Last-Event-ID (a reconnect) wins over ?after=. */
export function resumeFrom(request: FastifyRequest, after: number): number {
  const header = request.headers["last-event-id"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value && /^\d{1,10}$/.test(value)) return Number(value);
  return after;
}

export function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("text/event-stream");
}
