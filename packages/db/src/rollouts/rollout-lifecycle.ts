// The one writer of a rollout's status (README, Rollouts). A rollout previews every stack first
// (previewing), then applies wave by wave (running); it pauses on a failure, a replace or delete,
// new drift, or when asked, and resumes into the phase it paused in; it ends succeeded or cancelled.
// Each pause, resume and end is announced to webhooks in the transaction that makes it.
import type { Prisma } from "../generated/prisma/client.ts";
import { queueWebhook, type WebhookOutboxTx } from "../webhook-outbox.ts";

export const ROLLOUT_STATUSES = ["previewing", "running", "paused", "cancelled", "succeeded"] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const ROLLOUT_TRANSITIONS = {
  previewing: ["running", "paused", "cancelled"],
  running: ["paused", "cancelled", "succeeded"],
  paused: ["previewing", "running", "cancelled"],
  cancelled: [],
  succeeded: [],
} as const satisfies Record<RolloutStatus, readonly RolloutStatus[]>;

/** The states of one stack in a rollout. */
export type RolloutStackState = "pending" | "previewing" | "previewed" | "applying" | "succeeded" | "failed";

type Tx = Pick<Prisma.TransactionClient, "rollout"> & WebhookOutboxTx;

function from(to: RolloutStatus): RolloutStatus[] {
  return (Object.keys(ROLLOUT_TRANSITIONS) as RolloutStatus[]).filter((status) =>
    (ROLLOUT_TRANSITIONS[status] as readonly RolloutStatus[]).includes(to),
  );
}

/** Moves a rollout to `to` if its status allows it; returns whether it did. */
async function move(
  tx: Tx,
  id: string,
  to: RolloutStatus,
  data: Prisma.RolloutUpdateManyMutationInput = {},
  only?: RolloutStatus[],
): Promise<boolean> {
  const allowed = from(to).filter((status) => !only || only.includes(status));
  const moved = await tx.rollout.updateMany({
    where: { id, status: { in: allowed } },
    data: { ...data, status: to },
  });
  return moved.count === 1;
}

/** Every stack previewed without a reason to stop: apply the first wave. */
export const startApplying = (tx: Tx, id: string) =>
  move(tx, id, "running", { currentWave: 0 }, ["previewing"]);

/** A wave is done: the next one, or the end. */
export async function nextWave(tx: Tx, id: string, current: number, waves: number): Promise<boolean> {
  if (current + 1 < waves) {
    const moved = await tx.rollout.updateMany({
      where: { id, status: "running", currentWave: current },
      data: { currentWave: current + 1 },
    });
    return moved.count === 1;
  }
  if (!(await move(tx, id, "succeeded", { finishedAt: new Date() }, ["running"]))) return false;
  await queueWebhook(tx, { event: "rollout.finished", rolloutId: id });
  return true;
}

/** Stops where it is, saying why; resume carries on from the same phase. */
export async function pauseRollout(tx: Tx, id: string, reason: string): Promise<boolean> {
  const row = await tx.rollout.findUnique({ where: { id }, select: { status: true } });
  if (row?.status !== "previewing" && row?.status !== "running") return false;
  const pausedReason = reason.slice(0, 1000);
  if (!(await move(tx, id, "paused", { pausedReason, pausedFrom: row.status }, [row.status]))) return false;
  // The reason goes with the notification: a resume clears it from the rollout before delivery may run.
  await queueWebhook(tx, { event: "rollout.paused", rolloutId: id, reason: pausedReason });
  return true;
}

/** Back into the phase it paused in; `by` is who resumed it, for the webhook. */
export async function resumeRollout(tx: Tx, id: string, by: string): Promise<boolean> {
  const row = await tx.rollout.findUnique({ where: { id }, select: { status: true, pausedFrom: true } });
  if (row?.status !== "paused") return false;
  const to: RolloutStatus = row.pausedFrom === "previewing" ? "previewing" : "running";
  if (!(await move(tx, id, to, { pausedReason: null, pausedFrom: null }, ["paused"]))) return false;
  await queueWebhook(tx, { event: "rollout.resumed", rolloutId: id, by });
  return true;
}

/** Ends it for good; `by` is who cancelled it, for the webhook. */
export async function cancelRollout(tx: Tx, id: string, by: string): Promise<boolean> {
  if (!(await move(tx, id, "cancelled", { finishedAt: new Date() }))) return false;
  await queueWebhook(tx, { event: "rollout.cancelled", rolloutId: id, by });
  return true;
}
