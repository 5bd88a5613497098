// Drives fleet rollouts of a blueprint version (README, Rollouts), one step per tick: queue the
// previews, judge them, then queue each wave's ups and judge those. The operations are ordinary
// ones (in each stack's line like any other); the rollout only watches how they end. Status
// changes go through the rollout lifecycle (@gantry/db); rows are taken FOR UPDATE SKIP LOCKED,
// so workers ticking at once never drive the same rollout.
import type { ResourceChange } from "@gantry/core";
import {
  type Db,
  enqueueOperation,
  nextWave,
  type Prisma,
  pauseRollout,
  type RolloutStackState,
  startApplying,
} from "@gantry/db";

type Tx = Prisma.TransactionClient;

const ENDED_BADLY = ["failed", "cancelled", "interrupted"];

export async function advanceRollouts(db: Pick<Db, "rollout" | "$transaction">): Promise<number> {
  const active = await db.rollout.findMany({
    where: { status: { in: ["previewing", "running"] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  for (const { id } of active) await db.$transaction((tx) => advance(tx, id), { timeout: 30_000 });
  return active.length;
}

async function advance(tx: Tx, id: string): Promise<void> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM rollouts WHERE id = ${id}::uuid AND status IN ('previewing', 'running')
    FOR UPDATE SKIP LOCKED`;
  if (!locked) return;
  const rollout = await tx.rollout.findUniqueOrThrow({
    where: { id },
    include: {
      stacks: {
        include: {
          stack: {
            select: {
              id: true,
              name: true,
              teamId: true,
              spec: true,
              driftStatus: true,
              driftCheckedAt: true,
            },
          },
        },
        orderBy: [{ wave: "asc" }, { stack: { name: "asc" } }],
      },
    },
  });
  const requestedBy = `rollout ${rollout.id}`.slice(0, 100);
  const operations = await outcomes(
    tx,
    rollout.stacks.flatMap((s) => [s.previewOperationId, s.upOperationId]).filter((x): x is string => !!x),
  );
  const setState = (stackId: string, state: RolloutStackState, data: Prisma.RolloutStackUpdateInput = {}) =>
    tx.rolloutStack.update({
      where: { rolloutId_stackId: { rolloutId: id, stackId } },
      data: { ...data, state },
    });
  const queue = async (stack: (typeof rollout.stacks)[number]["stack"], kind: "preview" | "up") => {
    await tx.$queryRaw`SELECT 1 FROM stacks WHERE id = ${stack.id}::uuid FOR UPDATE`;
    return enqueueOperation(tx, {
      teamId: stack.teamId,
      stackId: stack.id,
      kind,
      spec: (stack.spec ?? {}) as Prisma.InputJsonValue,
      requestedBy,
      blueprintVersion: rollout.targetVersion,
    });
  };

  if (rollout.status === "previewing") {
    for (const entry of rollout.stacks) {
      if (entry.state === "pending") {
        const op = await queue(entry.stack, "preview");
        await setState(entry.stackId, "previewing", { previewOperationId: op.id, error: null });
        continue;
      }
      if (entry.state !== "previewing" || !entry.previewOperationId) continue;
      const op = operations.get(entry.previewOperationId);
      if (!op || op.status === "queued" || op.status === "running") continue;
      if (op.status !== "succeeded") {
        const message = `the preview of ${entry.stack.name} ended ${op.status}: ${op.error ?? "no reason given"}`;
        await setState(entry.stackId, "failed", { error: message.slice(0, 1000) });
        await pauseRollout(tx, id, message);
        return;
      }
      const destructive = (op.diff ?? []).find((change) => change.op === "replace" || change.op === "delete");
      if (destructive) {
        const message = `the preview of ${entry.stack.name} would ${destructive.op} ${destructive.type} ${destructive.urn.split("::").at(-1)}: a rollout applies in-place changes only`;
        await setState(entry.stackId, "failed", { error: message.slice(0, 1000) });
        await pauseRollout(tx, id, message);
        return;
      }
      await setState(entry.stackId, "previewed");
    }
    const fresh = await tx.rolloutStack.findMany({ where: { rolloutId: id }, select: { state: true } });
    if (fresh.every((s) => s.state === "previewed")) await startApplying(tx, id);
    return;
  }

  // running: new drift on any of its stacks stops it before anything more is applied.
  const drifted = rollout.stacks.find(
    (s) =>
      s.stack.driftStatus === "drifted" &&
      s.stack.driftCheckedAt &&
      s.stack.driftCheckedAt > rollout.createdAt,
  );
  if (drifted) {
    await pauseRollout(tx, id, `new drift on ${drifted.stack.name}: resolve it, then resume`);
    return;
  }
  const wave = rollout.stacks.filter((s) => s.wave === rollout.currentWave);
  let done = 0;
  for (const entry of wave) {
    if (entry.state === "succeeded") {
      done += 1;
      continue;
    }
    if (entry.state === "previewed") {
      const op = await queue(entry.stack, "up");
      await setState(entry.stackId, "applying", { upOperationId: op.id, error: null });
      continue;
    }
    if (entry.state !== "applying" || !entry.upOperationId) continue;
    const op = operations.get(entry.upOperationId);
    if (!op || op.status === "queued" || op.status === "running" || op.status === "awaiting_approval")
      continue;
    if (ENDED_BADLY.includes(op.status)) {
      const message = `the up of ${entry.stack.name} ended ${op.status}: ${op.error ?? "no reason given"}`;
      await setState(entry.stackId, "failed", { error: message.slice(0, 1000) });
      await pauseRollout(tx, id, message);
      return;
    }
    await setState(entry.stackId, "succeeded");
    done += 1;
  }
  if (done === wave.length) await nextWave(tx, id, rollout.currentWave, rollout.waves.length);
}

interface Outcome {
  status: string;
  error: string | undefined;
  diff: ResourceChange[] | null;
}

async function outcomes(tx: Tx, ids: string[]): Promise<Map<string, Outcome>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.operation.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, error: true, diff: true },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        status: row.status,
        error: (row.error as { message?: string } | null)?.message,
        diff: Array.isArray(row.diff) ? (row.diff as unknown as ResourceChange[]) : null,
      },
    ]),
  );
}
