// Whether a stack's dependencies let an operation start. Only those its spec uses count (a
// workload on Kubernetes is not held back by the network it would use on ECS). A dependency still
// on its way to `ready` (it has an operation queued or running) makes the operation wait; one that
// is failed or gone with nothing pending ends it, with a message that says which and what to do.
import type { Db } from "@gantry/db";
import { specRegistryFor } from "@gantry/stacks/specs";

/** How long an operation may wait for its dependencies before it gives up. */
export const DEPENDENCY_WAIT_LIMIT_MS = 60 * 60 * 1000;

export type DependencyGate =
  | { state: "open" }
  | { state: "wait"; waitingFor: string[] }
  | { state: "blocked"; message: string };

const kindRules = specRegistryFor({ benchKinds: false });

export async function checkDependencies(
  db: Pick<Db, "stackDependency">,
  operation: { stackId: string; stackKind: string; spec: unknown; queuedAt: Date },
  now = new Date(),
): Promise<DependencyGate> {
  const { stackId, queuedAt } = operation;
  const rows = await db.stackDependency.findMany({
    where: { stackId },
    select: {
      dependsOn: {
        select: {
          name: true,
          kind: true,
          status: true,
          operations: { where: { status: { in: ["queued", "running"] } }, select: { id: true }, take: 1 },
        },
      },
    },
    orderBy: { dependsOn: { name: "asc" } },
  });
  const used = kindRules.dependenciesInUse(
    operation.stackKind,
    operation.spec,
    rows.map((row) => row.dependsOn),
  );
  const notReady = used.filter((dependency) => dependency.status !== "ready");
  if (notReady.length === 0) return { state: "open" };

  const stuck = notReady.filter((dependency) => dependency.operations.length === 0);
  if (stuck.length > 0) {
    const which = stuck.map((d) => `"${d.name}" is ${d.status}`).join(", ");
    return {
      state: "blocked",
      message: `dependencies are not ready: ${which}; fix them, then retry this stack`,
    };
  }
  const waitingFor = notReady.map((dependency) => dependency.name);
  if (now.getTime() - queuedAt.getTime() > DEPENDENCY_WAIT_LIMIT_MS) {
    return {
      state: "blocked",
      message: `dependencies were not ready within ${DEPENDENCY_WAIT_LIMIT_MS / 60_000} minutes: ${waitingFor.join(", ")}`,
    };
  }
  return { state: "wait", waitingFor };
}
