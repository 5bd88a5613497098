// A stored stack as the API shows it: secret outputs are listed by name with their value replaced,
// whether the worker recorded them as secret or the kind declares them so.
import { type DriftStatus, SECRET_PLACEHOLDER, type StackStatus } from "@gantry/core";
import type { Prisma } from "@gantry/db";
import { NEWEST_FIRST } from "../http/keyset-cursor.ts";
import type { KindInfo, KindRegistry } from "../kinds/kind-registry.ts";
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

const declaredByKind = new WeakMap<KindInfo, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * Output names a kind declares secret: redacted even if a value was ever stored by mistake. One
 * set per kind, made once (a list page asks for it on every row).
 */
export function declaredSecrets(kind: string, kinds: Pick<KindRegistry, "getKind">): ReadonlySet<string> {
  const info = kinds.getKind(kind);
  if (!info) return NONE;
  let declared = declaredByKind.get(info);
  if (!declared) {
    declared = new Set(info.outputs.filter((o) => o.secret).map((o) => o.name));
    declaredByKind.set(info, declared);
  }
  return declared;
}

/**
 * Stored (non-secret) values, with every secret output as a placeholder: those the last run
 * reported as secret, and any stored value under a name the kind declares secret. In the stored
 * order, then the reported secrets that were not stored.
 */
export function redactedOutputs(
  stored: Prisma.JsonValue,
  reportedSecrets: readonly string[],
  declared: ReadonlySet<string>,
): { outputs: Record<string, unknown>; secretOutputs: string[] } {
  const isSecret = (name: string) => declared.has(name) || reportedSecrets.includes(name);
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  if (isObject(stored))
    for (const name of Object.keys(stored)) {
      if (isSecret(name)) {
        outputs[name] = SECRET_PLACEHOLDER;
        secretOutputs.push(name);
      } else outputs[name] = stored[name];
    }
  let added = false;
  for (const name of reportedSecrets)
    if (!Object.hasOwn(outputs, name)) {
      outputs[name] = SECRET_PLACEHOLDER;
      added = true;
    }
  // In the outputs' own key order (an index-like name comes first).
  return { outputs, secretOutputs: added ? Object.keys(outputs).filter(isSecret) : secretOutputs };
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
