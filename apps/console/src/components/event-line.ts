// One engine event (Pulumi's EngineEvent, secrets already blinded by the worker) as a log line.
import type { EngineEvent } from "../types.ts";

interface Payload {
  diagnosticEvent?: { message?: string; severity?: string; urn?: string };
  stdoutEvent?: { message?: string };
  resourcePreEvent?: { metadata?: { op?: string; urn?: string; type?: string } };
  resOutputsEvent?: { metadata?: { op?: string; urn?: string; type?: string } };
  resOpFailedEvent?: { metadata?: { op?: string; urn?: string } };
  summaryEvent?: { resourceChanges?: Record<string, number>; durationSeconds?: number };
  preludeEvent?: unknown;
  cancelEvent?: unknown;
}

export function eventLine(event: EngineEvent): string {
  const p = (event.payload ?? {}) as Payload;
  const name = (urn?: string) => urn?.split("::").at(-1) ?? "";
  if (p.diagnosticEvent) {
    const d = p.diagnosticEvent;
    return `${d.severity ?? "info"}: ${(d.message ?? "").trim()}${d.urn ? ` (${name(d.urn)})` : ""}`;
  }
  if (p.stdoutEvent) return (p.stdoutEvent.message ?? "").trim();
  if (p.resourcePreEvent?.metadata) {
    const m = p.resourcePreEvent.metadata;
    return `${m.op ?? "?"} ${m.type ?? ""} ${name(m.urn)} …`;
  }
  if (p.resOutputsEvent?.metadata) {
    const m = p.resOutputsEvent.metadata;
    return `${m.op ?? "?"} ${m.type ?? ""} ${name(m.urn)} done`;
  }
  if (p.resOpFailedEvent?.metadata) return `failed ${name(p.resOpFailedEvent.metadata.urn)}`;
  if (p.summaryEvent) {
    const changes = Object.entries(p.summaryEvent.resourceChanges ?? {})
      .map(([op, n]) => `${n} ${op}`)
      .join(", ");
    return `summary: ${changes || "no changes"} in ${p.summaryEvent.durationSeconds ?? 0}s`;
  }
  if (p.preludeEvent) return "starting";
  // The engine sends a cancelEvent as the last event of every run: it marks the end, not a cancel.
  if (p.cancelEvent) return "";
  return event.type;
}
