// A drift check: a preview-only refresh of the stack, under the same per-stack lock as every
// other operation (it must never read half-written state). It records a DriftReport, sets the
// stack's drift status and, when the stack asks for it, decides on auto-remediation.
import type { DriftStatus } from "@gantry/core";
import { assertOwner, destructionUnderWay, enqueueOperation, type Prisma, queueWebhook } from "@gantry/db";
import type { RunResult } from "@gantry/engine";
import { type DriftDeps, type DriftRun, REQUESTED_BY_AUTO_REMEDIATION } from "./drift-context.ts";
import { decideRemediation } from "./remediation-policy.ts";

export async function runDriftCheck(deps: DriftDeps, run: DriftRun): Promise<RunResult> {
  const { operation } = run;
  const result = await deps.runEngine({ ...run.request, verb: "drift-check" }, deps.engine, run.hooks);
  const drift = result.ok ? (result.drift ?? []) : [];
  const status: DriftStatus = !result.ok ? "error" : drift.length > 0 ? "drifted" : "in_sync";

  const stack = await deps.db.stack.findUniqueOrThrow({
    where: { id: operation.stackId },
    select: { driftStatus: true, autoRemediate: true, spec: true },
  });
  // Auto-remediation looks at what putting it right would do before it asks for it.
  const remediation =
    status === "drifted" && stack.autoRemediate
      ? decideRemediation(
          await deps.runEngine({ ...run.request, verb: "preview", refresh: true }, deps.engine, run.hooks),
        )
      : undefined;

  const json = (value: unknown) => value as Prisma.InputJsonValue;
  await deps.db.$transaction(async (tx) => {
    await assertOwner(tx, run.owner);
    let remediationId: string | undefined;
    // Under the stack's row lock, as the API's changes are: a destroy asked for during the check
    // wins, and no remediation is queued behind it to bring the stack back.
    const [locked] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM stacks WHERE id = ${operation.stackId}::uuid FOR UPDATE`;
    if (
      remediation?.decision === "remediate" &&
      locked &&
      !(await destructionUnderWay(tx, { id: operation.stackId, status: locked.status }))
    ) {
      const pending = await tx.operation.findFirst({
        where: { stackId: operation.stackId, kind: "remediate", status: { in: ["queued", "running"] } },
        select: { id: true },
      });
      remediationId =
        pending?.id ??
        (
          await enqueueOperation(tx, {
            teamId: operation.teamId,
            stackId: operation.stackId,
            kind: "remediate",
            spec: json(stack.spec),
            requestedBy: REQUESTED_BY_AUTO_REMEDIATION,
          })
        ).id;
    }
    const created = await tx.driftReport.create({
      data: {
        teamId: operation.teamId,
        stackId: operation.stackId,
        operationId: operation.id,
        status,
        resources: json(drift),
        remediation: remediation ? json({ ...remediation, operationId: remediationId ?? null }) : undefined,
        error: result.error?.message ?? null,
      },
    });
    await tx.stack.update({
      where: { id: operation.stackId },
      data: {
        driftStatus: status,
        driftCheckedAt: created.checkedAt,
        // A stack in sync needs nobody; a refused auto-remediation waits for a person.
        ...(status === "in_sync" ? { remediationNeedsApproval: false } : {}),
        ...(remediation?.decision === "needs_approval" ? { remediationNeedsApproval: true } : {}),
      },
    });
    await tx.operation.update({ where: { id: operation.id }, data: { diff: json(drift) } });
    if (deps.webhooks && status === "drifted" && stack.driftStatus !== "drifted") {
      await queueWebhook(tx, { event: "drift.detected", stackId: operation.stackId, reportId: created.id });
    }
    if (deps.webhooks && status === "in_sync" && stack.driftStatus === "drifted") {
      await queueWebhook(tx, { event: "drift.resolved", stackId: operation.stackId, reportId: created.id });
    }
  });
  return result;
}
