// Tags on every AWS resource Gantry creates: who owns it and which stack manages it, so cost
// reports, drift reviews and a person in the console can trace a resource back to its stack.
import type { ProgramContext } from "../kind.ts";

export function stackTags(
  context: Pick<ProgramContext<unknown>, "stack">,
  kind: string,
): Record<string, string> {
  return {
    "gantry:team": context.stack.teamName,
    "gantry:stack": context.stack.name,
    "gantry:stack-id": context.stack.id,
    "gantry:kind": kind,
    "managed-by": "gantry",
  };
}
