// A stored stack as the API shows it: secret outputs are listed by name with their value replaced,
// whether the worker recorded them as secret or the kind declares them so.
import { type DriftStatus, SECRET_PLACEHOLDER, type StackStatus } from "@gantry/core";
import type { Prisma } from "@gantry/db";
import { NEWEST_FIRST } from "../http/keyset-cursor.ts";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import { toOperationView } from "../operations/operation-view.ts";
import type { StackView } from "./stacks-schemas.ts";

/** What every stack read loads: its dependencies (not those released) and its most recent operation. */
export const STACK_INCLUDE = {
  dependsOn: {
    where: { releasedAt: null },
    select: { dependsOn: { select: { id: true, name: true, kind: true } } },
  },
  operations: { orderBy: NEWEST_FIRST, take: 1 },
} satisfies Prisma.StackInclude;

export type LoadedStack = Prisma.StackGetPayload<{ include: typeof STACK_INCLUDE }>;

/** Output names a kind declares secret: redacted even if a value was ever stored by mistake. */
export function declaredSecrets(kind: string, kinds: Pick<KindRegistry, "getKind">): string[] {
  return (
    kinds
      .getKind(kind)
      ?.outputs.filter((o) => o.secret)
      .map((o) => o.name) ?? []
  );
}

/**
 * Stored (non-secret) values, with every secret output as a placeholder: those the last run
 * reported as secret, and any stored value under a name the kind declares secret.
 */
export function redactedOutputs(
  stored: Prisma.JsonValue,
  reportedSecrets: readonly string[],
  declared: readonly string[],
): { outputs: Record<string, unknown>; secretOutputs: string[] } {
  const secret = new Set([...reportedSecrets, ...declared]);
  const outputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(isObject(stored) ? stored : {})) {
    outputs[name] = secret.has(name) ? SECRET_PLACEHOLDER : value;
  }
  for (const name of reportedSecrets) outputs[name] = SECRET_PLACEHOLDER;
  return { outputs, secretOutputs: Object.keys(outputs).filter((name) => secret.has(name)) };
}

export function toStackView(row: LoadedStack, kinds: Pick<KindRegistry, "getKind">): StackView {
  const { outputs, secretOutputs } = redactedOutputs(
    row.outputs,
    row.secretOutputs,
    declaredSecrets(row.kind, kinds),
  );
  const last = row.operations[0];
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status as StackStatus,
    spec: isObject(row.spec) ? row.spec : {},
    outputs,
    secretOutputs,
    driftStatus: row.driftStatus as DriftStatus,
    driftCheckedAt: row.driftCheckedAt,
    blueprintVersion: row.blueprintVersion ?? 1,
    expiresAt: row.expiresAt,
    expiryBlockedReason: row.expiryBlockedReason,
    protected: row.protected,
    dependsOn: row.dependsOn.map((d) => d.dependsOn),
    // Rows written by the one-statement create carry no owner: those stacks have none.
    managedBy: row.managedBy ?? null,
    lastOperation: last ? toOperationView(last) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The answer to a request that queued an operation: the stack as it is now, and the operation. */
export function toAcceptedView(
  rows: { stack: LoadedStack; operation: Parameters<typeof toOperationView>[0] },
  kinds: Pick<KindRegistry, "getKind">,
) {
  return { stack: toStackView(rows.stack, kinds), operation: toOperationView(rows.operation) };
}
