// Fleet rollouts of a blueprint version (README, Rollouts): which stacks, in which waves, and a
// person's pause, resume and cancel. The worker's rollout driver does the previews and the ups.
import { cancelQueued, cancelRollout, type Db, type Prisma, pauseRollout, resumeRollout } from "@gantry/db";
import { type Caller, requesterOf } from "../auth/roles.ts";
import { CHANGE_TX } from "../change-transaction.ts";
import { isUuid } from "../http/common-schemas.ts";
import { ConflictError, NotFoundError, UnprocessableError } from "../http/errors.ts";
import { type KindRegistry, resolveVersion } from "../kinds/kind-registry.ts";
import type { CreateRolloutInput } from "./rollouts-schemas.ts";

export interface RolloutsDeps {
  db: Pick<Db, "rollout" | "stack" | "$transaction">;
  kinds: Pick<KindRegistry, "getKind">;
}

const WITH_STACKS = {
  stacks: {
    include: { stack: { select: { name: true } } },
    orderBy: [{ wave: "asc" }, { stack: { name: "asc" } }],
  },
} as const satisfies Prisma.RolloutInclude;
export type LoadedRollout = Prisma.RolloutGetPayload<{ include: typeof WITH_STACKS }>;

/** Sizes of the waves for `total` stacks: counts or percentages (rounded up); the last takes the rest. */
export function resolveWaves(sizes: readonly (number | string)[], total: number): number[] {
  const waves: number[] = [];
  let left = total;
  sizes.forEach((size, index) => {
    if (left === 0) return;
    const wanted = typeof size === "number" ? size : Math.ceil((Number.parseInt(size, 10) / 100) * total);
    const take = index === sizes.length - 1 ? left : Math.min(left, Math.max(1, wanted));
    waves.push(take);
    left -= take;
  });
  return waves;
}

export function createRolloutsService(deps: RolloutsDeps) {
  const { db, kinds } = deps;

  async function get(caller: Caller, id: string): Promise<LoadedRollout> {
    const row = isUuid(id)
      ? await db.rollout.findFirst({ where: { id, teamId: caller.teamId }, include: WITH_STACKS })
      : null;
    if (!row) throw new NotFoundError("rollout", id);
    return row;
  }

  async function change(
    caller: Caller,
    id: string,
    step: (tx: Prisma.TransactionClient) => Promise<boolean>,
    verb: string,
  ) {
    if (!isUuid(id)) throw new NotFoundError("rollout", id);
    await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ status: string }[]>`
        SELECT status FROM rollouts WHERE id = ${id}::uuid AND team_id = ${caller.teamId}::uuid FOR UPDATE`;
      if (!row) throw new NotFoundError("rollout", id);
      if (!(await step(tx)))
        throw new ConflictError("rollout_state", `rollout ${id} is ${row.status}: it cannot be ${verb}`);
    }, CHANGE_TX);
    return get(caller, id);
  }

  return {
    get,

    list: (caller: Caller, limit: number) =>
      db.rollout.findMany({
        where: { teamId: caller.teamId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit,
        include: WITH_STACKS,
      }),

    async create(caller: Caller, input: CreateRolloutInput): Promise<LoadedRollout> {
      const kind = kinds.getKind(input.kind);
      if (!kind)
        throw new UnprocessableError("unknown_kind", [
          { path: "kind", message: `"${input.kind}" is not a known kind` },
        ]);
      const target = resolveVersion(kind, input.targetVersion);
      if (target === undefined)
        throw new UnprocessableError("unknown_blueprint_version", [
          {
            path: "targetVersion",
            message: `kind "${kind.name}" has no blueprint version ${input.targetVersion}`,
          },
        ]);
      const filter = input.stacks;
      const id = await db.$transaction(async (tx) => {
        if (filter) {
          // Every stack asked for must be the team's (another team's look unknown, as everywhere).
          const known = await tx.stack.findMany({
            where: {
              teamId: caller.teamId,
              OR: [{ name: { in: filter } }, { id: { in: filter.filter(isUuid) } }],
            },
            select: { id: true, name: true },
          });
          const missing = filter.find(
            (ref) => !known.some((stack) => stack.id === ref || stack.name === ref),
          );
          if (missing) throw new NotFoundError("stack", missing);
        }
        const candidates = await tx.stack.findMany({
          where: {
            teamId: caller.teamId,
            kind: kind.name,
            status: "ready",
            // Stacks already in a rollout that is under way are left to it.
            rollouts: { none: { rollout: { status: { in: ["previewing", "running", "paused"] } } } },
            ...(filter ? { OR: [{ name: { in: filter } }, { id: { in: filter.filter(isUuid) } }] } : {}),
          },
          orderBy: { name: "asc" },
          select: { id: true, blueprintVersion: true },
        });
        const affected = candidates.filter((stack) => (stack.blueprintVersion ?? 1) !== target);
        if (affected.length === 0)
          throw new UnprocessableError("nothing_to_roll_out", [
            {
              path: "kind",
              message: `no ready ${kind.name} stack (of those asked for) needs blueprint version ${target}`,
            },
          ]);
        const waves = resolveWaves(input.waves, affected.length);
        const rollout = await tx.rollout.create({
          data: {
            teamId: caller.teamId,
            kind: kind.name,
            targetVersion: target,
            waves,
            requestedBy: requesterOf(caller),
          },
        });
        // Stacks in name order, wave after wave.
        const ends = waves.map((_, wave) => waves.slice(0, wave + 1).reduce((a, b) => a + b, 0));
        const waveOf = (position: number) => ends.findIndex((end) => position < end);
        await tx.rolloutStack.createMany({
          data: affected.map((stack, position) => ({
            rolloutId: rollout.id,
            stackId: stack.id,
            wave: waveOf(position),
            fromVersion: stack.blueprintVersion ?? 1,
          })),
        });
        return rollout.id;
      }, CHANGE_TX);
      return get(caller, id);
    },

    pause: (caller: Caller, id: string) =>
      change(caller, id, (tx) => pauseRollout(tx, id, `paused by ${requesterOf(caller)}`), "paused"),

    /** Carries on: stacks that failed are previewed (or applied) again. */
    resume: (caller: Caller, id: string) =>
      change(
        caller,
        id,
        async (tx) => {
          if (!(await resumeRollout(tx, id, requesterOf(caller)))) return false;
          await tx.rolloutStack.updateMany({
            where: { rolloutId: id, state: "failed", upOperationId: null },
            data: { state: "pending", previewOperationId: null },
          });
          await tx.rolloutStack.updateMany({
            where: { rolloutId: id, state: "failed", upOperationId: { not: null } },
            data: { state: "previewed", upOperationId: null },
          });
          return true;
        },
        "resumed",
      ),

    /** Stops for good; its operations still waiting are cancelled, running ones finish. */
    cancel: (caller: Caller, id: string) =>
      change(
        caller,
        id,
        async (tx) => {
          if (!(await cancelRollout(tx, id, requesterOf(caller)))) return false;
          const entries = await tx.rolloutStack.findMany({ where: { rolloutId: id } });
          const ids = entries
            .flatMap((e) => [e.previewOperationId, e.upOperationId])
            .filter((x): x is string => !!x);
          await cancelQueued(tx, ids, `rollout ${id} was cancelled by ${requesterOf(caller)}`);
          return true;
        },
        "cancelled",
      ),
  };
}

export type RolloutsService = ReturnType<typeof createRolloutsService>;
