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

/**
 * An AWS resource name from a stack's physical name: letters, digits and hyphens, which EKS
 * clusters, ECS clusters and services, log groups and KMS aliases all accept.
 */
export const awsName = (physicalName: string): string => physicalName.replace(/[^A-Za-z0-9-]/g, "-");
