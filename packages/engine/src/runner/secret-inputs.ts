// Secret inputs in the engine: the values of a kind's writeOnly spec fields, from the hand-off
// (given since the last run) or else from the stack's own encrypted state, where every run that
// runs the program keeps them in one secret stack output (SECRET_INPUTS_OUTPUT). That output is
// never shown: toRunOutputs leaves it out.
import { SECRET_INPUT_SET, SECRET_INPUTS_OUTPUT } from "@gantry/stacks/engine";
import type { Stack } from "@pulumi/pulumi/automation/index.js";

/**
 * The plaintext value of each secret input the spec says is set. `handedOff`: the values the
 * worker opened; the rest are read from the state's last outputs (one CLI call, only when needed).
 */
export async function resolveSecretInputs(
  names: readonly string[],
  spec: Record<string, unknown>,
  handedOff: Record<string, string>,
  stack: Pick<Stack, "outputs">,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = spec[name];
    if (value === undefined) continue; // not set
    if (value !== SECRET_INPUT_SET)
      throw new Error(`spec.${name} holds a value: secret inputs are handed off, never in a spec`);
    const given = handedOff[name];
    if (given !== undefined) values[name] = given;
    else missing.push(name);
  }
  if (missing.length === 0) return values;
  const kept = (await stack.outputs())[SECRET_INPUTS_OUTPUT]?.value as Record<string, string> | undefined;
  for (const name of missing) {
    const value = kept?.[name];
    if (value === undefined)
      throw new Error(
        `spec.${name} is set, but its value is neither handed off nor in the stack's state (a first up ` +
          `that failed before storing it?): send it again with a PATCH`,
      );
    values[name] = value;
  }
  return values;
}
