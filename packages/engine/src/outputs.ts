// Reads a stack's outputs with secret values, for an explicit (audited) reveal. Runs in an engine
// process like every other engine call, so the CLI never sees the caller's environment.

import type { EngineSettings } from "./settings.ts";
import { runEngineProcess } from "./spawn.ts";

export type RevealedOutputs = Record<string, { value: unknown; secret: boolean }>;

export async function readStackOutputs(
  settings: EngineSettings,
  stack: { id: string; kind: string; name: string; teamName: string },
  /** The stack's stored spec: what its engine environment depends on (AWS or not). */
  spec: unknown = {},
): Promise<RevealedOutputs> {
  const result = await runEngineProcess({ verb: "outputs", stack, spec, dependencies: [] }, settings);
  if (!result.ok || !result.outputs)
    throw new Error(result.error?.message ?? "could not read the stack's outputs");
  const { values, secretNames } = result.outputs;
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { value, secret: secretNames.includes(name) }]),
  );
}
