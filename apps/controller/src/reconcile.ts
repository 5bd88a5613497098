// One reconcile of one custom resource: level-based, so it may run any number of times, after any
// restart or missed event, and converge. The stack is looked up by (team, name) and changed only
// when its stored spec differs from the resource's, so a reconcile repeated after a crash queues
// no second operation. Every change goes through the REST API's own stack service.
import { isDeepStrictEqual } from "node:util";
import {
  ApiError,
  type Caller,
  CreateStackBody,
  type KindRegistry,
  type LoadedStack,
  STACK_INCLUDE,
  type StacksService,
} from "@gantry/api/controller";
import type { Logger } from "@gantry/core";
import { type Db, dependentNames, liveDependents, type OperationModel } from "@gantry/db";
import type { RevealedOutputs } from "@gantry/engine";
import {
  type Condition,
  driftedCondition,
  errorOf,
  mergeConditions,
  notSynced,
  readyCondition,
  synced,
} from "./conditions.ts";
import { writeConnectionSecret } from "./connection-secret.ts";
import { type ResourceKind, resourceKindOfKind } from "./crds.ts";
import type { CustomResource, KubeClient } from "./kube-client.ts";
import { teamOf } from "./namespace-team.ts";
import { type DesiredStack, desiredStack, ResourceSpecError } from "./resource-spec.ts";

export const ADOPT_ANNOTATION = "gantry.dev/adopt";
export const FINALIZER = "gantry.dev/stack";
const ACTOR = "kube-controller";

export interface ReconcileDeps {
  kube: KubeClient;
  db: Pick<Db, "team" | "stack" | "stackDependency" | "operation" | "auditEntry">;
  stacks: Pick<StacksService, "create" | "update" | "destroy" | "adopt">;
  kinds: Pick<KindRegistry, "parseSpec">;
  readOutputs: (stack: LoadedStack & { teamName: string }) => Promise<RevealedOutputs>;
  logger: Logger;
  pollMs: number;
  /** How long after a failed destroy of a deleted resource's stack it is tried again (the resync period). */
  retryDestroyMs: number;
  /** Labels a namespace must carry besides the team's (config: GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR). */
  namespaceSelector: Record<string, string | undefined>;
}

/** When to look again: soon while an operation is under way, otherwise at the next resync. */
export type Outcome = { requeueMs?: number };

export function createReconciler(deps: ReconcileDeps) {
  const { kube, db, stacks, kinds, logger } = deps;

  async function reconcile(
    rk: ResourceKind,
    cr: CustomResource,
    secretInputs: readonly string[],
  ): Promise<Outcome> {
    const { namespace, name } = cr.metadata;
    const ref = `${rk.kind} ${namespace}/${name}`;
    const team = teamOf(await kube.namespaceLabels(namespace), deps.namespaceSelector);
    // Namespaces without the label (or outside the selector) are not this controller's: their
    // resources are left alone entirely.
    if (!team) return {};
    const teamRow = await db.team.findUnique({ where: { name: team } });
    const deleting = Boolean(cr.metadata.deletionTimestamp);
    if (!teamRow) {
      if (deleting) return releaseIfOurs(rk, cr);
      await writeStatus(rk, cr, [
        notSynced("TeamNotFound", `namespace ${namespace} names team "${team}", which Gantry does not know`),
      ]);
      return {};
    }
    const caller: Caller = {
      teamId: teamRow.id,
      teamName: teamRow.name,
      role: "admin",
      tokenId: ACTOR,
      tokenPrefix: ACTOR,
      tokenName: ref,
      manager: ref,
    };
    const audit = (action: string, method: string, stackId: string) =>
      db.auditEntry.create({
        data: {
          teamId: teamRow.id,
          actor: ACTOR,
          role: "admin",
          action,
          method,
          route: ref.slice(0, 200),
          targetId: stackId,
          requestId: (cr.metadata.uid ?? ref).slice(0, 64),
          statusCode: 202,
          result: "ok",
          ip: null,
        },
      });
    let stack = await db.stack.findUnique({
      where: { teamId_name: { teamId: teamRow.id, name } },
      include: STACK_INCLUDE,
    });

    if (deleting) return finalize(rk, cr, caller, stack, audit);
    if (!cr.metadata.finalizers?.includes(FINALIZER))
      await kube.patchMetadata(rk.plural, namespace, name, {
        finalizers: [...(cr.metadata.finalizers ?? []), FINALIZER],
        resourceVersion: cr.metadata.resourceVersion,
      });

    if (stack && stack.managedBy !== ref) {
      const adopt = cr.metadata.annotations?.[ADOPT_ANNOTATION] === "true";
      if (stack.managedBy || !adopt || stack.kind !== rk.gantryKind || stack.status === "destroyed") {
        const owner = stack.managedBy
          ? `the Kubernetes resource ${stack.managedBy}`
          : stack.kind !== rk.gantryKind
            ? `a ${stack.kind} stack`
            : `the REST API (annotate ${ADOPT_ANNOTATION}: "true" to adopt it)`;
        await writeStatus(rk, cr, [notSynced("NotOwned", `the team's stack "${name}" belongs to ${owner}`)]);
        return {};
      }
      try {
        await stacks.adopt(caller, stack.id);
      } catch (err) {
        return refused(rk, cr, err);
      }
      await audit("stack.adopt", "APPLY", stack.id);
      logger.info({ resource: ref, stackId: stack.id }, "stack adopted");
      stack = await db.stack.findUniqueOrThrow({ where: { id: stack.id }, include: STACK_INCLUDE });
    }
    if (stack?.status === "destroyed") {
      await writeStatus(rk, cr, [
        notSynced("NameTaken", `the team's stack "${name}" was destroyed; a destroyed stack keeps its name`),
      ]);
      return {};
    }

    let desired: DesiredStack;
    try {
      await checkDependencies(cr, teamRow.id);
      desired = await desiredStack(kube, cr, secretInputs);
      stack = await converge(rk, cr, caller, stack, desired, audit);
    } catch (err) {
      return refused(rk, cr, err);
    }
    return observe(rk, cr, caller, stack, desired);
  }

  /**
   * `spec.dependsOn` names resources of the namespace: each must exist, and the team's stack of its
   * name (once there is one) must be that resource's, not a REST stack or another namespace's.
   */
  async function checkDependencies(cr: CustomResource, teamId: string): Promise<void> {
    const refs = Array.isArray(cr.spec?.dependsOn)
      ? (cr.spec.dependsOn as { kind: string; name: string }[])
      : [];
    for (const { kind, name } of refs) {
      const ref = `${kind} ${cr.metadata.namespace}/${name}`;
      if (!(await kube.get(resourceKindOfKind(kind).plural, cr.metadata.namespace, name)))
        throw new ResourceSpecError("DependencyNotFound", `spec.dependsOn: there is no ${ref}`);
      const stack = await db.stack.findUnique({
        where: { teamId_name: { teamId, name } },
        select: { managedBy: true },
      });
      if (stack && stack.managedBy !== ref)
        throw new ResourceSpecError(
          "InvalidDependency",
          `spec.dependsOn: the team's stack "${name}" is not ${ref}'s (it belongs to ${stack.managedBy ? `the Kubernetes resource ${stack.managedBy}` : "the REST API"})`,
        );
    }
  }

  /** Creates the stack, or queues an `up` when its stored spec is not the resource's. */
  async function converge(
    rk: ResourceKind,
    cr: CustomResource,
    caller: Caller,
    stack: LoadedStack | null,
    desired: DesiredStack,
    audit: (action: string, method: string, stackId: string) => Promise<unknown>,
  ): Promise<LoadedStack> {
    if (!stack) {
      const input = CreateStackBody.safeParse({
        kind: rk.gantryKind,
        name: cr.metadata.name,
        spec: desired.spec,
        dependsOn: desired.dependsOn,
      });
      if (!input.success)
        throw new ResourceSpecError(
          "InvalidName",
          `metadata.name: ${input.error.issues[0]?.message ?? "is not a valid stack name"}`,
        );
      const accepted = await stacks.create(caller, input.data);
      await audit("stack.create", "APPLY", accepted.stack.id);
      logger.info(
        { resource: caller.manager, stackId: accepted.stack.id, operationId: accepted.operation.id },
        "stack created",
      );
      return accepted.stack;
    }
    // A changed dependsOn goes with the spec, as the REST API's PATCH takes it.
    const has = stack.dependsOn.map((d) => d.dependsOn.name).sort();
    const asks = [...new Set(desired.dependsOn)].sort();
    const dependenciesChanged = !isDeepStrictEqual(has, asks);
    const parsed = kinds.parseSpec(rk.gantryKind, desired.spec);
    const secretsChanged =
      desired.secretInputsVersion !== undefined &&
      desired.secretInputsVersion !== (cr.status?.secretInputsVersion as string | undefined);
    if (parsed.ok && isDeepStrictEqual(parsed.spec, stack.spec) && !secretsChanged && !dependenciesChanged)
      return stack;
    // A full replacement as a merge patch: fields the resource no longer sets go back to their defaults.
    const patch: Record<string, unknown> = { ...desired.spec };
    for (const key of Object.keys((stack.spec ?? {}) as object)) if (!(key in patch)) patch[key] = null;
    const accepted = await stacks.update(caller, stack.id, {
      spec: patch,
      ...(dependenciesChanged ? { dependsOn: asks } : {}),
    });
    await audit("stack.update", "APPLY", accepted.stack.id);
    logger.info(
      { resource: caller.manager, stackId: stack.id, operationId: accepted.operation.id },
      "stack updated",
    );
    return accepted.stack;
  }

  /** Status from the stack as it is: conditions, outputs, last operation; and the connection Secret. */
  async function observe(
    rk: ResourceKind,
    cr: CustomResource,
    caller: Caller,
    stack: LoadedStack,
    desired: DesiredStack,
  ): Promise<Outcome> {
    const lastChange = await latestChange(stack.id);
    const ready = readyCondition(stack, lastChange);
    const last = stack.operations[0] ?? null;
    const secretOutputs = new Set(stack.secretOutputs);
    const outputs = Object.fromEntries(
      Object.entries((stack.outputs ?? {}) as Record<string, unknown>).filter(
        ([key]) => !secretOutputs.has(key),
      ),
    );
    if (ready.status === "True" && lastChange)
      await writeConnectionSecret(
        { kube, readOutputs: (s) => deps.readOutputs({ ...s, teamName: caller.teamName }) },
        cr,
        stack,
        lastChange.id,
      );
    await writeStatus(rk, cr, [ready, synced(), driftedCondition(stack)], {
      observedGeneration: cr.metadata.generation,
      stackId: stack.id,
      outputs,
      ...operationStatus(last),
      ...(desired.secretInputsVersion ? { secretInputsVersion: desired.secretInputsVersion } : {}),
    });
    return ready.reason === "Progressing" ? { requeueMs: deps.pollMs } : {};
  }

  /** Deletion: destroy the stack (unless others depend on it), then let the resource go. */
  async function finalize(
    rk: ResourceKind,
    cr: CustomResource,
    caller: Caller,
    stack: LoadedStack | null,
    audit: (action: string, method: string, stackId: string) => Promise<unknown>,
  ): Promise<Outcome> {
    if (!cr.metadata.finalizers?.includes(FINALIZER)) return {};
    if (!stack || stack.managedBy !== caller.manager || stack.status === "destroyed")
      return releaseIfOurs(rk, cr);
    const lastChange = await latestChange(stack.id);
    const destroying =
      lastChange?.kind === "destroy" && (lastChange.status === "queued" || lastChange.status === "running");
    if (!destroying) {
      // A destroy that failed shows in the status, and is tried again a resync period after it
      // ended, not in a tight loop.
      if (lastChange?.kind === "destroy" && lastChange.status !== "succeeded") {
        const endedMs = Date.now() - (lastChange.finishedAt ?? lastChange.createdAt).getTime();
        if (endedMs < deps.retryDestroyMs) {
          await writeStatus(rk, cr, [readyCondition(stack, lastChange)], operationStatus(lastChange));
          return {};
        }
      }
      try {
        const accepted = await stacks.destroy(caller, stack.id);
        await audit("stack.destroy", "DELETE", stack.id);
        logger.info(
          { resource: caller.manager, stackId: stack.id, operationId: accepted.operation.id },
          "stack destroy queued",
        );
      } catch (err) {
        if (err instanceof ApiError && err.code === "stack_has_dependents") {
          // The finalizer stays until the dependents are gone; the condition names them.
          await writeStatus(rk, cr, [
            {
              type: "Ready",
              status: "False",
              reason: "DependentsExist",
              message: `used by ${await dependentsOf(stack.id)}; deleted once they are gone`,
            },
          ]);
          return { requeueMs: deps.pollMs * 5 };
        }
        if (!(err instanceof ApiError && err.code === "stack_destroying")) throw err;
      }
    }
    const after = await latestChange(stack.id);
    await writeStatus(rk, cr, [readyCondition(stack, after)], operationStatus(after));
    return { requeueMs: deps.pollMs };
  }

  async function releaseIfOurs(rk: ResourceKind, cr: CustomResource): Promise<Outcome> {
    const finalizers = cr.metadata.finalizers ?? [];
    if (!finalizers.includes(FINALIZER)) return {};
    await kube.patchMetadata(rk.plural, cr.metadata.namespace, cr.metadata.name, {
      finalizers: finalizers.filter((f) => f !== FINALIZER),
      resourceVersion: cr.metadata.resourceVersion,
    });
    logger.info({ resource: `${rk.kind} ${cr.metadata.namespace}/${cr.metadata.name}` }, "resource released");
    return {};
  }

  /** A refusal of the service (invalid spec, policy, dependency) is Synced=False with its message. */
  async function refused(rk: ResourceKind, cr: CustomResource, err: unknown): Promise<Outcome> {
    if (err instanceof ApiError) {
      await writeStatus(rk, cr, [notSynced(reasonOf(err.code), err.message)]);
      // A dependency is often another resource applied in the same breath: look again soon.
      return err.code === "invalid_dependency" ? { requeueMs: deps.pollMs * 5 } : {};
    }
    if (err instanceof ResourceSpecError) {
      await writeStatus(rk, cr, [notSynced(err.reason, err.message)]);
      // A resource applied in the same breath as its dependency: look again soon.
      return err.reason === "DependencyNotFound" ? { requeueMs: deps.pollMs * 5 } : {};
    }
    throw err;
  }

  /** The stacks that depend on one, as their resources (`Workload payments/web`) or REST stack names. */
  async function dependentsOf(stackId: string): Promise<string> {
    const dependents = await liveDependents(db, stackId);
    return dependentNames(dependents, (stack) => stack.managedBy ?? `stack "${stack.name}"`);
  }

  const latestChange = (stackId: string): Promise<OperationModel | null> =>
    db.operation.findFirst({
      where: { stackId, kind: { in: ["up", "destroy", "remediate"] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });

  async function writeStatus(
    rk: ResourceKind,
    cr: CustomResource,
    conditions: Condition[],
    fields: Record<string, unknown> = {},
  ): Promise<void> {
    const status = {
      ...fields,
      conditions: mergeConditions(cr.status?.conditions, conditions, cr.metadata.generation, new Date()),
    };
    const unchanged = Object.entries(status).every(([key, value]) =>
      isDeepStrictEqual(cr.status?.[key], value),
    );
    if (unchanged) return;
    await kube.patchStatus(rk.plural, cr.metadata.namespace, cr.metadata.name, status);
  }

  return { reconcile };
}

/** The status's lastOperation; absent rather than null, so an unchanged status compares equal. */
function operationStatus(op: OperationModel | null): Record<string, unknown> {
  return op
    ? { lastOperation: { id: op.id, kind: op.kind, status: op.status, error: errorOf(op) ?? "" } }
    : {};
}

/** `policy_violation` → PolicyViolation. */
function reasonOf(code: string): string {
  return code
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

export type Reconciler = ReturnType<typeof createReconciler>;
