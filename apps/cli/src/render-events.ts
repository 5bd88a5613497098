// One line per engine event worth reading, for `logs` and the progress display: the Pulumi engine
// events the worker stored (diagnostics, each resource step starting and ending, the summary).
import type { OperationEvent } from "@gantry/client";

interface StepMetadata {
  op?: string;
  urn?: string;
  type?: string;
}

type Payload = {
  diagnosticEvent?: { message?: string; severity?: string };
  stdoutEvent?: { message?: string };
  resourcePreEvent?: { metadata?: StepMetadata };
  resOutputsEvent?: { metadata?: StepMetadata };
  resOpFailedEvent?: { metadata?: StepMetadata };
  summaryEvent?: { resourceChanges?: Record<string, number>; durationSeconds?: number };
};

/** The resource's own name: the last segment of its URN. */
export function resourceName(urn: string | undefined): string {
  return urn?.split("::").at(-1) ?? "?";
}

function step(meta: StepMetadata | undefined): string {
  return `${meta?.op ?? "?"} ${meta?.type ?? "?"} ${resourceName(meta?.urn)}`;
}

export function renderEvent(event: OperationEvent): string | undefined {
  const p = (event.payload ?? {}) as Payload;
  if (p.diagnosticEvent) {
    const { severity = "info", message = "" } = p.diagnosticEvent;
    if (severity === "debug" || !message.trim()) return undefined;
    return `${severity === "info" ? "" : `${severity}: `}${message.trimEnd()}`;
  }
  if (p.stdoutEvent?.message?.trim()) return p.stdoutEvent.message.trimEnd();
  // Unchanged resources are most of a run's steps and say nothing: the summary counts them.
  if (p.resourcePreEvent)
    return unchanged(p.resourcePreEvent) ? undefined : `  … ${step(p.resourcePreEvent.metadata)}`;
  if (p.resOutputsEvent)
    return unchanged(p.resOutputsEvent) ? undefined : `  ✓ ${step(p.resOutputsEvent.metadata)}`;
  if (p.resOpFailedEvent) return `  ✗ ${step(p.resOpFailedEvent.metadata)}`;
  if (p.summaryEvent) {
    const changes = Object.entries(p.summaryEvent.resourceChanges ?? {})
      .map(([op, n]) => `${n} ${op}`)
      .join(", ");
    const took = p.summaryEvent.durationSeconds;
    return `summary: ${changes || "no changes"}${took === undefined ? "" : ` (${took}s)`}`;
  }
  return undefined;
}

function unchanged(event: { metadata?: StepMetadata }): boolean {
  return event.metadata?.op === "same";
}

/** A short "what is it doing" for the progress line. */
export function currentStep(event: OperationEvent): string | undefined {
  const p = (event.payload ?? {}) as Payload;
  if (p.resourcePreEvent) return step(p.resourcePreEvent.metadata);
  return undefined;
}
