// An operation's engine log, following live: the API's text/event-stream of
// /v1/operations/:id/events. The browser's own EventSource cannot send the Authorization header,
// so the `eventsource` package (the same protocol over fetch) carries it; it reconnects with
// Last-Event-ID, so a dropped connection neither loses nor repeats lines. The API ends the stream
// with an `end` event once the operation is over.
import { EventSource } from "eventsource";
import { useEffect, useRef, useState } from "react";
import { savedToken } from "../session.ts";
import type { EngineEvent } from "../types.ts";
import { eventLine } from "./event-line.ts";

export function LiveLog(props: { operationId: string; onEnd?: (status: string) => void }) {
  const [lines, setLines] = useState<{ seq: number; text: string }[]>([]);
  const [state, setState] = useState<"connecting" | "live" | string>("connecting");
  const onEnd = useRef(props.onEnd);
  onEnd.current = props.onEnd;
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setLines([]);
    setState("connecting");
    const token = savedToken() ?? "";
    const source = new EventSource(`/v1/operations/${props.operationId}/events`, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
    });
    source.addEventListener("open", () => setState("live"));
    source.addEventListener("engine", (message) => {
      const event = JSON.parse(message.data) as EngineEvent;
      const text = eventLine(event);
      if (text) setLines((old) => [...old, { seq: event.seq, text }]);
    });
    source.addEventListener("end", (message) => {
      const { status } = JSON.parse(message.data) as { status: string };
      source.close();
      setState(status);
      onEnd.current?.(status);
    });
    return () => source.close();
  }, [props.operationId]);

  useEffect(() => {
    const el = box.current;
    if (el && lines.length > 0) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section className="log">
      <h3>
        Log{" "}
        <span className="muted" data-testid="log-state">
          {state === "live" ? "● following live" : state}
        </span>
      </h3>
      <pre ref={box} data-testid="live-log">
        {lines.length === 0 ? "waiting for the engine…" : lines.map((line) => `${line.text}\n`).join("")}
      </pre>
    </section>
  );
}
