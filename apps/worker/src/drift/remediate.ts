// Remediation: a preview of what bringing the resources back to the spec does (its per-resource
// plan recorded on the operation, its events stored like any run's), then an `up` that refreshes the state first, so
// the engine compares the spec with what is really there and not with what it last wrote.
import { assertOwner, type Prisma, queueWebhook } from "@gantry/db";
import type { RunResult } from "@gantry/engine";
import type { DriftDeps, DriftRun } from "./drift-context.ts";

export async function runRemediation(deps: DriftDeps, run: DriftRun): Promise<RunResult> {
  const { operation } = run;
  const preview = await deps.runEngine(
    { ...run.request, verb: "preview", refresh: true },
    deps.engine,
    run.hooks,
  );
  await deps.db.$transaction(async (tx) => {
    await assertOwner(tx, run.owner);
    await tx.operation.update({
      where: { id: operation.id },
      data: { diff: (preview.changes ?? []) as unknown as Prisma.InputJsonValue },
    });
  });
  if (!preview.ok) return preview;

  const applied = await deps.runEngine({ ...run.request, verb: "up", refresh: true }, deps.engine, run.hooks);
  if (!applied.ok) return applied;
  // The resources now are what the spec says: the stack is in sync, and nobody needs to approve.
  await deps.db.$transaction(async (tx) => {
    await assertOwner(tx, run.owner);
    const before = await tx.stack.findUniqueOrThrow({
      where: { id: operation.stackId },
      select: { driftStatus: true },
    });
    await tx.stack.update({
      where: { id: operation.stackId },
      data: { driftStatus: "in_sync", remediationNeedsApproval: false },
    });
    if (deps.webhooks && before.driftStatus === "drifted") {
      await queueWebhook(tx, {
        event: "drift.resolved",
        stackId: operation.stackId,
        operationId: operation.id,
      });
    }
  });
  return applied;
}
