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
