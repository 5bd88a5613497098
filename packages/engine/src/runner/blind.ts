// Engine events carry resource state (inputs, outputs of old and new states). The engine blinds
// secrets in them, with two holes this closes before an event leaves the engine process:
// - debug diagnostics: the language host's RPC trace ("RegisterResource RPC finished: … resp: …")
//   prints resource outputs, secret values included, as plain text. They are internal tracing,
//   not something a person needs about their operation, so they are dropped;
// - Pulumi's own secret envelopes (`{<sig>: <secret sig>, value}`) wherever they appear in an
//   event's objects are replaced, whatever else may carry them.

import { SECRET_PLACEHOLDER } from "@gantry/core";

/** Pulumi's wire marker for a secret value (specialSigKey and secretSig in @pulumi/pulumi). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const BLINDED = SECRET_PLACEHOLDER;

export function blindSecrets<T>(value: T): T {
  return blind(value, 0) as T;
}

function blind(value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => blind(item, depth + 1));
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return BLINDED;
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, blind(item, depth + 1)]));
}

/** Debug diagnostics are the engine's internal trace, and can hold secret values in plain text. */
export function isDebugTrace(event: { diagnosticEvent?: { severity?: string } }): boolean {
  return event.diagnosticEvent?.severity === "debug";
}
