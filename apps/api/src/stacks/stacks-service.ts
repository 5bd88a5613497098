// Stacks of the caller's team: create, read, change and destroy. Every change is a stack write plus
// an operation and its outbox row in one transaction; the worker does the rest.

import {
  dependentNames,
  destructionUnderWay,
  enqueueOperation,
  handOffSecretInputs,
  liveDependents,
  type Prisma,
  StackNameTaken,
} from "@gantry/db";
import { type Caller, requesterOf, requireOperationRole } from "../auth/roles.ts";
import { CHANGE_TX } from "../change-transaction.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, NotFoundError, ServiceUnavailableError, UnprocessableError } from "../http/errors.ts";
import { toPage } from "../http/keyset-cursor.ts";
import { resolveVersion } from "../kinds/kind-registry.ts";
import type { RequestOperationInput } from "../operations/operations-schemas.ts";
import { createBatchedCreates } from "./batched-creates.ts";
import { createBatchedStackReads } from "./batched-stack-reads.ts";
import { lockStack, replaceDependencies, resolveDependencies } from "./stack-dependencies.ts";
import { readStack } from "./stack-reads.ts";
import { nameTaken, refuseDependencyIssues, refuseOtherManager, validSpec } from "./stack-refusals.ts";
import type { LoadedStack } from "./stack-view.ts";
import type { CreateStackInput, ListStacksQuery } from "./stacks-schemas.ts";
import type { Accepted, StackChange, StacksDeps } from "./stacks-service-contract.ts";

type Tx = Prisma.TransactionClient;

export function createStacksService(deps: StacksDeps) {
  const { db, kinds, policy, secretInputKey } = deps;
  const reads = createBatchedStackReads(db.pool);
  const createWithUp = createBatchedCreates(db.pool);

  /**
   * Secret input values go to the worker sealed, in the change's transaction, never in the spec
   * (stored with "[set]") or the operation (README, Secret inputs).
   */
  async function handOff(tx: Tx, stackId: string, secrets: Record<string, string> | undefined) {
    if (!secrets || Object.keys(secrets).length === 0) return;
    if (!secretInputKey)
      throw new ServiceUnavailableError(
        "secret inputs cannot be accepted: this server has no GANTRY_SECRET_INPUT_KEY to seal them with",
      );
    await handOffSecretInputs(tx, secretInputKey, stackId, secrets);
  }

  /**
   * Queues an operation with the approval rules that may hold it back frozen into it, and, for an
   * up or a preview, the blueprint version it applies: the stack's own unless the request names one.
   */
  function enqueue(
    tx: Tx,
    stack: { kind: string; blueprintVersion: number | null; protected: boolean },
    input: Parameters<typeof enqueueOperation>[1],
    requested?: number | "latest",
    options?: Parameters<typeof enqueueOperation>[2],
  ) {
    const approval = pendingApproval(stack, input.kind);
    const versioned = input.kind === "up" || input.kind === "preview";
    const blueprintVersion = versioned
      ? versionFor(stack.kind, requested, stack.blueprintVersion ?? 1)
      : undefined;
    return enqueueOperation(
      tx,
      { ...input, ...(approval ? { approval } : {}), ...(blueprintVersion ? { blueprintVersion } : {}) },
      options,
    );
  }

  /**
   * The approval rules that may hold an operation back, frozen into it (README, Approvals). The
   * stack is locked while it is accepted, so its `protected` flag cannot change in between.
   */
  function pendingApproval(stack: { kind: string; protected: boolean }, operationKind: string) {
    const rules = policy.approvalRules(stack, operationKind);
    return rules.length > 0 ? { state: "pending", rules } : undefined;
  }

  function versionFor(kindName: string, requested: number | "latest" | undefined, current: number): number {
    const kind = kinds.getKind(kindName);
    if (requested === undefined || !kind) return current;
    const version = resolveVersion(kind, requested);
    if (version === undefined)
      throw new UnprocessableError("unknown_blueprint_version", [
        { path: "blueprintVersion", message: `kind "${kindName}" has no blueprint version ${requested}` },
      ]);
    return version;
  }

  /**
   * The caller's stack: in a change's transaction (which reads what it wrote), or, for a plain
   * read, batched with the others that arrive with it.
   */
  async function load(tx: Tx | undefined, caller: Caller, id: string): Promise<LoadedStack> {
    if (!isUuid(id)) throw new NotFoundError("stack", id);
    const row = tx ? await readStack(tx, caller.teamId, id) : await reads.get(caller.teamId, id);
    if (!row) throw new NotFoundError("stack", id);
    return row;
  }

  /** The 409 for a name the team already has, saying whether a destroyed stack keeps it. */
  async function nameTakenBy(caller: Caller, name: string): Promise<ConflictError> {
    const taken = await db.stack.findUnique({
      where: { teamId_name: { teamId: caller.teamId, name } },
      select: { status: true },
    });
    return nameTaken(name, taken?.status === "destroyed");
  }

  /** Locks the stack for this transaction and refuses changes once its destruction is under way. */
  async function lockForChange(tx: Tx, caller: Caller, id: string, verb: string): Promise<LoadedStack> {
    if (!isUuid(id) || !(await lockStack(tx, caller.teamId, id))) throw new NotFoundError("stack", id);
    const stack = await load(tx, caller, id);
    if (stack.status === "destroyed")
      throw new ConflictError("stack_destroyed", `stack "${stack.name}" is destroyed; it cannot ${verb}`);
    refuseOtherManager(stack, caller);
    if (await destructionUnderWay(tx, stack)) {
      throw new ConflictError(
        "stack_destroying",
        `stack "${stack.name}" is being destroyed; it cannot ${verb}`,
      );
    }
    return stack;
  }

  /**
   * The stack's spec with a patch applied, validated with its dependencies (the ones it has, or
   * those a change gives it); and the secret values given.
   */
  function checkedSpec(
    stack: LoadedStack,
    patch: Record<string, unknown>,
    dependencies: readonly { name: string; kind: string }[] = stack.dependsOn.map((d) => d.dependsOn),
  ): { spec: Prisma.InputJsonObject; secrets: Record<string, string> | undefined } {
    const result = kinds.mergeSpec(stack.kind, stack.spec, patch);
    const spec = validSpec(result);
    policy.enforce(stack.kind, spec);
    refuseDependencyIssues(kinds.dependencyIssues(stack.kind, spec, dependencies));
    return { spec, secrets: result.ok ? result.secrets : undefined };
  }

  const update = (caller: Caller, id: string, change: StackChange): Promise<Accepted> =>
    db.$transaction(async (tx) => {
      const stack = await lockForChange(tx, caller, id, "be changed");
      // A new dependsOn is resolved like a new stack's.
      const kind = kinds.getKind(stack.kind);
      if (change.dependsOn && !kind)
        throw new UnprocessableError("unknown_kind", [
          { path: "dependsOn", message: `a ${stack.kind} stack's dependencies cannot change here` },
        ]);
      const dependencies =
        change.dependsOn && kind
          ? await resolveDependencies(tx, caller.teamId, kind, change.dependsOn)
          : undefined;
      const { spec, secrets } = checkedSpec(stack, change.spec, dependencies);
      await tx.stack.update({ where: { id: stack.id }, data: { spec } });
      if (dependencies)
        await replaceDependencies(
          tx,
          stack.id,
          dependencies.map((d) => d.id),
        );
      await handOff(tx, stack.id, secrets);
      const operation = await enqueue(
        tx,
        stack,
        {
          teamId: caller.teamId,
          stackId: stack.id,
          kind: "up",
          spec,
          requestedBy: requesterOf(caller),
        },
        change.blueprintVersion,
      );
      return { stack: await load(tx, caller, stack.id), operation };
    }, CHANGE_TX);

  const destroy = (caller: Caller, id: string): Promise<Accepted> =>
    db.$transaction(async (tx) => {
      const stack = await lockForChange(tx, caller, id, "be destroyed again");
      const dependents = await liveDependents(tx, stack.id);
      if (dependents.length > 0)
        throw new ConflictError(
          "stack_has_dependents",
          `stack "${stack.name}" is used by ${dependentNames(dependents)}; destroy those first`,
        );
      const operation = await enqueue(tx, stack, {
        teamId: caller.teamId,
        stackId: stack.id,
        kind: "destroy",
        spec: stack.spec as Prisma.InputJsonValue,
        requestedBy: requesterOf(caller),
      });
      return { stack: await load(tx, caller, stack.id), operation };
    }, CHANGE_TX);

  return {
    get: (caller: Caller, id: string) => load(undefined, caller, id),

    async list(
      caller: Caller,
      query: ListStacksQuery,
    ): Promise<{ stacks: LoadedStack[]; nextCursor: string | null }> {
      const rows = await reads.list(caller.teamId, {
        kind: query.kind,
        status: query.status,
        protected: query.protected === undefined ? undefined : query.protected === "true",
        after: query.cursor,
        take: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      return { stacks: page.rows, nextCursor: page.nextCursor };
    },

    async create(caller: Caller, input: CreateStackInput): Promise<Accepted> {
      const kind = kinds.getKind(input.kind);
      if (!kind) {
        const message = `"${input.kind}" is not a known kind; GET /v1/kinds lists them`;
        throw new UnprocessableError("unknown_kind", [{ path: "kind", message }]);
      }
      if (input.ttl !== undefined && input.expiresAt !== undefined)
        throw new UnprocessableError("invalid_expiry", [
          { path: "ttl", message: "give either ttl or expiresAt, not both" },
        ]);
      const blueprintVersion = versionFor(kind.name, input.blueprintVersion ?? "latest", 1);
      const parsed = kinds.parseSpec(kind.name, input.spec);
      const spec = validSpec(parsed);
      policy.enforce(kind.name, spec);
      const secrets = parsed.ok ? parsed.secrets : undefined;
      const expiresAt = input.expiresAt ?? (input.ttl ? new Date(Date.now() + input.ttl * 1000) : null);
      // Nothing to lock or hand off: the stack, its `up` and the outbox row in one statement, with
      // the other creates that arrive with it.
      if ((input.dependsOn ?? []).length === 0 && !secrets) {
        refuseDependencyIssues(kinds.dependencyIssues(kind.name, spec, []));
        try {
          const { stack, operation } = await createWithUp({
            teamId: caller.teamId,
            kind: kind.name,
            name: input.name,
            spec,
            requestedBy: requesterOf(caller),
            managedBy: caller.manager ?? null,
            blueprintVersion,
            expiresAt,
            approval: pendingApproval({ kind: kind.name, protected: false }, "up"),
          });
          return { stack: { ...stack, dependsOn: [], operations: [operation] }, operation };
        } catch (err) {
          if (err instanceof StackNameTaken) throw await nameTakenBy(caller, input.name);
          throw err;
        }
      }
      try {
        return await db.$transaction(async (tx) => {
          const dependencies = await resolveDependencies(tx, caller.teamId, kind, input.dependsOn ?? []);
          refuseDependencyIssues(kinds.dependencyIssues(kind.name, spec, dependencies));
          // A name already taken fails the insert (the unique index); the catch below says so.
          const created = await tx.stack.create({
            data: {
              teamId: caller.teamId,
              kind: kind.name,
              name: input.name,
              spec,
              status: "pending",
              managedBy: caller.manager ?? null,
              blueprintVersion,
              expiresAt,
              dependsOn: { create: dependencies.map((d) => ({ dependsOnId: d.id })) },
            },
          });
          await handOff(tx, created.id, secrets);
          const operation = await enqueue(
            tx,
            created,
            {
              teamId: caller.teamId,
              stackId: created.id,
              kind: "up",
              spec,
              requestedBy: requesterOf(caller),
            },
            undefined,
            { firstOfStack: true },
          );
          // The new stack as a read would load it, from what this transaction just wrote.
          const dependsOn = [...dependencies]
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map(({ id, name, kind }) => ({ dependsOn: { id, name, kind } }));
          return { stack: { ...created, dependsOn, operations: [operation] }, operation };
        }, CHANGE_TX);
      } catch (err) {
        // The name is taken (or two creates of one name raced): the unique index decides, 409.
        if ((err as { code?: string }).code === "P2002") throw await nameTakenBy(caller, input.name);
        throw err;
      }
    },

    update,

    /**
     * Any operation on a stack (`POST /v1/stacks/:id/operations`), with the role its kind needs.
     * It runs after whatever is already queued there, on the current spec or, for a preview or an
     * `up`, on the current spec with the given patch (an `up` stores it; a preview does not).
     */
    operate(caller: Caller, id: string, input: RequestOperationInput): Promise<Accepted> {
      const { kind, spec: patch } = input;
      requireOperationRole(caller, kind);
      if (input.blueprintVersion !== undefined && kind !== "up" && kind !== "preview")
        throw new UnprocessableError("blueprint_version_not_applicable", [
          {
            path: "blueprintVersion",
            message: `only an up or a preview takes a blueprint version, not a ${kind}`,
          },
        ]);
      if (kind === "up" && patch)
        return update(caller, id, { spec: patch, blueprintVersion: input.blueprintVersion });
      if (kind === "destroy" && !patch) return destroy(caller, id);
      if (patch && kind !== "preview") {
        throw new UnprocessableError("spec_not_applicable", [
          {
            path: "spec",
            message: `only a preview or an up takes a spec; a ${kind} runs on the current one`,
          },
        ]);
      }
      return db.$transaction(async (tx) => {
        const stack = await lockForChange(tx, caller, id, `have a ${kind} operation`);
        const checked = patch ? checkedSpec(stack, patch) : undefined;
        // A preview's spec is not kept, so a secret value in it would have nowhere to go.
        if (checked?.secrets)
          throw new UnprocessableError("spec_not_applicable", [
            {
              path: `spec.${Object.keys(checked.secrets)[0]}`,
              message: "is a secret input: a preview runs on the value already set; change it with a PATCH",
            },
          ]);
        const spec = checked?.spec ?? (stack.spec as Prisma.InputJsonObject);
        const operation = await enqueue(
          tx,
          stack,
          {
            teamId: caller.teamId,
            stackId: stack.id,
            kind,
            spec,
            requestedBy: requesterOf(caller),
          },
          input.blueprintVersion,
        );
        return { stack: await load(tx, caller, stack.id), operation };
      }, CHANGE_TX);
    },

    destroy,

    /**
     * Marks a stack protected or clears the mark (admins; README, Approvals). Operations already
     * accepted keep the approval rules frozen into them; the flag counts from the next one on. A
     * stack a Kubernetes resource manages can be protected too: the mark is the platform's guard,
     * not part of the spec its owner declares.
     */
    setProtected: (caller: Caller, id: string, value: boolean): Promise<LoadedStack> =>
      db.$transaction(async (tx) => {
        if (!isUuid(id) || !(await lockStack(tx, caller.teamId, id))) throw new NotFoundError("stack", id);
        const stack = await load(tx, caller, id);
        if (stack.status === "destroyed")
          throw new ConflictError(
            "stack_destroyed",
            `stack "${stack.name}" is destroyed; it cannot be ${value ? "protected" : "unprotected"}`,
          );
        if (stack.protected === value) return stack;
        await tx.stack.update({ where: { id: stack.id }, data: { protected: value } });
        return load(tx, caller, stack.id);
      }, CHANGE_TX),

    /**
     * Hands an unmanaged stack to the resource the caller acts for (an explicit adoption by the
     * Kubernetes controller); a stack already managed by another resource stays theirs.
     */
    adopt: (caller: Caller, id: string): Promise<LoadedStack> =>
      db.$transaction(async (tx) => {
        if (!caller.manager) throw new Error("adopt needs a caller acting for a resource");
        const stack = await lockForChange(tx, { ...caller, manager: undefined }, id, "be adopted");
        await tx.stack.update({ where: { id: stack.id }, data: { managedBy: caller.manager } });
        return load(tx, caller, stack.id);
      }, CHANGE_TX),
  };
}

export type StacksService = ReturnType<typeof createStacksService>;
