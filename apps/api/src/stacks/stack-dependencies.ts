// Resolving `dependsOn` of a new or changed stack: names or ids of the team's own stacks, each of a
// kind its kind may depend on and not on its way out. The rows are locked (FOR SHARE) until the
// stack commits, so a concurrent DELETE of a dependency waits and then sees the new dependent.
import type { Prisma } from "@gantry/db";
import { isUuid } from "../http/common-schemas.ts";
import { type FieldIssue, UnprocessableError } from "../http/errors.ts";
import type { KindInfo } from "../kinds/kind-registry.ts";

interface Candidate {
  id: string;
  name: string;
  kind: string;
  status: string;
}

export type DependencyTx = Pick<Prisma.TransactionClient, "$queryRaw">;

export async function resolveDependencies(
  tx: DependencyTx,
  teamId: string,
  kind: KindInfo,
  refs: readonly string[],
): Promise<Candidate[]> {
  const unique = [...new Set(refs)];
  if (unique.length === 0) return [];
  const ids = unique.filter(isUuid);
  const candidates = await tx.$queryRaw<Candidate[]>`
    SELECT id::text AS id, name, kind, status FROM stacks
    WHERE team_id = ${teamId}::uuid
      AND (name = ANY(${unique}::text[]) OR id = ANY(${ids}::uuid[]))
    ORDER BY id
    FOR SHARE`;

  const issues: FieldIssue[] = [];
  const resolved = new Map<string, Candidate>();
  for (const [index, ref] of refs.entries()) {
    const problem = (message: string) => issues.push({ path: `dependsOn[${index}]`, message });
    const stack =
      candidates.find((c) => c.name === ref) ?? candidates.find((c) => c.id === ref.toLowerCase());
    if (!stack) problem(`no stack "${ref}" in this team`);
    else if (!kind.dependsOn.includes(stack.kind)) {
      const allowed =
        kind.dependsOn.length > 0
          ? `may depend on: ${kind.dependsOn.join(", ")}`
          : "may not depend on other stacks";
      problem(`"${stack.name}" is a ${stack.kind}; a ${kind.name} ${allowed}`);
    } else if (stack.status === "destroyed" || stack.status === "destroying")
      problem(`"${stack.name}" is ${stack.status}`);
    else resolved.set(stack.id, stack);
  }
  if (issues.length > 0) throw new UnprocessableError("invalid_dependency", issues);
  return [...resolved.values()];
}

/** Locks one stack of the team for the rest of the transaction; false if there is none. */
export async function lockStack(tx: DependencyTx, teamId: string, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM stacks WHERE id = ${id}::uuid AND team_id = ${teamId}::uuid FOR UPDATE`;
  return rows.length > 0;
}

/**
 * A changed stack's dependsOn: the given stacks are its dependencies (again, if released before);
 * the others are released, not deleted. A released dependency still counts as one (it cannot be
 * destroyed first) until an up that does not use it succeeds: until then the stack's resources
 * may still stand on it (a workload's pods on the cluster it is leaving). The worker deletes it then.
 */
export async function replaceDependencies(tx: DependencyTx, stackId: string, ids: readonly string[]) {
  await tx.$queryRaw`
    WITH kept AS (
      INSERT INTO stack_dependencies (stack_id, depends_on_id)
      SELECT ${stackId}::uuid, unnest(${ids}::uuid[])
      ON CONFLICT (stack_id, depends_on_id) DO UPDATE SET released_at = NULL
      RETURNING depends_on_id
    )
    UPDATE stack_dependencies SET released_at = now()
    WHERE stack_id = ${stackId}::uuid AND released_at IS NULL
      AND depends_on_id <> ALL(${ids}::uuid[])
    RETURNING depends_on_id`;
}
