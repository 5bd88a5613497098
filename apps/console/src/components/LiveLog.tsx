// An operation's engine log, following live: the API's text/event-stream of
// /v1/operations/:id/events, read by the typed client (fetch streaming, so the Authorization
// header goes with it, which the browser's EventSource cannot send). A dropped connection is opened
// again after the last event seen, so no line is lost or repeated; the API's `end` event closes it.
import { followOperationEvents } from "@gantry/client";
import { useEffect, useRef, useState } from "react";
import { client } from "../client.ts";
import { eventLine } from "./event-line.ts";

export function LiveLog(props: { operationId: string; onEnd?: (status: string) => void }) {
  const [lines, setLines] = useState<{ seq: number; text: string }[]>([]);
  const [state, setState] = useState("connecting");
  const onEnd = useRef(props.onEnd);
  onEnd.current = props.onEnd;
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setLines([]);
    setState("● following live");
    const stop = new AbortController();
    followOperationEvents(client(), props.operationId, {
      signal: stop.signal,
      onEvent: (event) => {
        const text = eventLine(event);
        if (text) setLines((old) => [...old, { seq: event.seq, text }]);
      },
    }).then(
      (status) => {
        setState(status);
        onEnd.current?.(status);
      },
      (err: Error) => {
        if (!stop.signal.aborted) setState(`log unavailable: ${err.message}`);
      },
    );
    return () => stop.abort();
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
          {state}
        </span>
      </h3>
      <pre ref={box} data-testid="live-log">
        {lines.length === 0 ? "waiting for the engine…" : lines.map((line) => `${line.text}\n`).join("")}
      </pre>
    </section>
  );
}
