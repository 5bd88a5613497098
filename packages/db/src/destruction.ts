// Once a stack's destruction is under way, nothing else may be queued on it: not a person's change
// (the API refuses it) and not an automatic remediation (the worker skips it), or that run would
// bring back what the destroy removes. Callers hold the stack's row lock, so the answer holds
// until they commit.
import type { Prisma } from "./generated/prisma/client.ts";

/** Whether the stack is destroying or destroyed, or a destroy of it is queued or running. */
export async function destructionUnderWay(
  tx: Pick<Prisma.TransactionClient, "operation">,
  stack: { id: string; status: string },
): Promise<boolean> {
  if (stack.status === "destroying" || stack.status === "destroyed") return true;
  const destroys = await tx.operation.count({
    where: { stackId: stack.id, kind: "destroy", status: { in: ["queued", "running"] } },
  });
  return destroys > 0;
}

/**
 * The stacks not yet destroyed that use this one, by name (with the custom resource that owns each,
 * if any): a stack is destroyed only after them, whoever asks (a person, the expiry schedule, the
 * controller). A stack that dropped this one from its dependsOn still uses it (`released`) until
 * its next successful up.
 */
export async function liveDependents(
  tx: Pick<Prisma.TransactionClient, "stackDependency">,
  stackId: string,
): Promise<{ name: string; managedBy: string | null; released: boolean }[]> {
  const dependents = await tx.stackDependency.findMany({
    where: { dependsOnId: stackId, stack: { status: { not: "destroyed" } } },
    select: { releasedAt: true, stack: { select: { name: true, managedBy: true } } },
    orderBy: { stack: { name: "asc" } },
  });
  return dependents.map((d) => ({ ...d.stack, released: d.releasedAt !== null }));
}

type Dependent = Awaited<ReturnType<typeof liveDependents>>[number];

/** How a refusal names the dependents (as `label` has it); a released one, until when. */
export function dependentNames(
  dependents: readonly Dependent[],
  label: (dependent: Dependent) => string = (d) => d.name,
): string {
  return dependents
    .map((d) => (d.released ? `${label(d)} (until its next successful up without it)` : label(d)))
    .join(", ");
}
