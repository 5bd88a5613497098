// Why the stacks service refuses a change: the answers (status, code, message) it shares between
// create, update, destroy and adoption.
import type { Prisma } from "@gantry/db";
import type { Caller } from "../auth/roles.ts";
import { ConflictError, UnprocessableError } from "../http/errors.ts";
import type { SpecResult } from "../kinds/kind-registry.ts";
import type { LoadedStack } from "./stack-view.ts";

/** One owner per stack: a stack a Kubernetes resource manages is changed through that resource only. */
export function refuseOtherManager(stack: LoadedStack, caller: Caller): void {
  if (!stack.managedBy || stack.managedBy === caller.manager) return;
  throw new ConflictError(
    "stack_managed",
    `stack "${stack.name}" is managed by the Kubernetes resource ${stack.managedBy}; change it there`,
  );
}

export function validSpec(result: SpecResult): Prisma.InputJsonObject {
  if (result.ok) return result.spec as Prisma.InputJsonObject;
  const issues = result.issues.map((i) => ({ path: specPath(i.path), message: i.message }));
  throw new UnprocessableError("invalid_spec", issues);
}

export function refuseDependencyIssues(issues: readonly { path: string; message: string }[]): void {
  if (issues.length === 0) return;
  const located = issues.map((i) => ({ path: i.path ? specPath(i.path) : "dependsOn", message: i.message }));
  throw new UnprocessableError("invalid_dependency", located);
}

/** Registry paths are relative to the spec; the API names fields from the request body. */
function specPath(path: string): string {
  if (!path) return "spec";
  return path.startsWith("[") ? `spec${path}` : `spec.${path}`;
}

export function nameTaken(name: string, destroyed = false): ConflictError {
  const note = destroyed ? " (by a destroyed stack, which keeps its name and history)" : "";
  return new ConflictError("name_taken", `the team already has a stack named "${name}"${note}`);
}
