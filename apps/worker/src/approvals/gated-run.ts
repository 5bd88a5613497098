// An up or destroy that approval rules may hold back (README, Approvals). Not yet previewed: it
// previews (an up saves the engine's update plan), and either waits for an approval with that
// plan or, when no rule applies, goes on at once — an up then applies the plan it just previewed.
// Approved: it applies the stored plan exactly, unless the stack changed since the preview.
import { isDeepStrictEqual } from "node:util";
import { type ApprovalRecord, type Logger, ruleThatApplies } from "@gantry/core";
import type { Db } from "@gantry/db";
import { failedRun, type RunResult } from "@gantry/engine";
import { type EngineRunDeps, runEngineFor, type StackForRun } from "../operations/engine-run.ts";

export interface GatedRun {
  operationId: string;
  kind: "up" | "destroy";
  stack: StackForRun;
  spec: unknown;
  secretInputs?: Record<string, string> | undefined;
  blueprintVersion: number | null;
  approval: ApprovalRecord;
  /** The plan stored when it was previewed (approved ups). */
  plan: string | null;
}

export type GatedOutcome =
  | { state: "ran"; result: RunResult; approval: ApprovalRecord; stackUnchanged?: boolean }
  | {
      state: "waiting";
      plan: string | null;
      diff: unknown;
      summary: unknown;
      approval: ApprovalRecord;
    };

type Context = { log: Logger; signal: AbortSignal; kill: AbortSignal };

export async function runGated(
  deps: EngineRunDeps & { approvalTtlMs: number; db: Pick<Db, "operation"> },
  run: GatedRun,
  context: Context,
): Promise<GatedOutcome> {
  const { approval } = run;
  if (approval.state === "approved") {
    const stale = await staleBecause(deps.db, run);
    if (stale)
      return {
        state: "ran",
        result: failedRun(
          `the approved plan is stale and was not applied: ${stale}; request the change again`,
        ),
        approval,
        stackUnchanged: true,
      };
    return { state: "ran", result: await apply(deps, run, run.plan ?? undefined, context), approval };
  }
  if (approval.state !== "pending") {
    return { state: "ran", result: await apply(deps, run, undefined, context), approval };
  }
  const previewed = await runEngineFor(
    deps,
    {
      operationId: run.operationId,
      verb: run.kind === "up" ? "preview" : "destroy",
      stack: run.stack,
      spec: run.spec,
      secretInputs: run.secretInputs,
      blueprintVersion: run.blueprintVersion,
      ...(run.kind === "up" ? { savePlan: true } : { previewOnly: true }),
    },
    context,
  );
  if (!previewed.ok || context.signal.aborted) return { state: "ran", result: previewed, approval };
  const plannedAt = new Date();
  const applies = ruleThatApplies(approval.rules, previewed.changes ?? []);
  if (applies) {
    return {
      state: "waiting",
      plan: previewed.plan ?? null,
      diff: previewed.changes ?? [],
      summary: previewed.summary,
      approval: {
        ...approval,
        state: "awaiting",
        ...applies,
        plannedAt: plannedAt.toISOString(),
        expiresAt: new Date(plannedAt.getTime() + deps.approvalTtlMs).toISOString(),
      },
    };
  }
  context.log.info("no approval rule applies to the plan; applying it");
  const notNeeded: ApprovalRecord = { ...approval, state: "not_needed", plannedAt: plannedAt.toISOString() };
  return { state: "ran", result: await apply(deps, run, previewed.plan, context), approval: notNeeded };
}

function apply(deps: EngineRunDeps, run: GatedRun, plan: string | undefined, context: Context) {
  return runEngineFor(
    deps,
    {
      operationId: run.operationId,
      verb: run.kind,
      stack: run.stack,
      spec: run.spec,
      secretInputs: run.secretInputs,
      blueprintVersion: run.blueprintVersion,
      ...(run.kind === "up" && plan !== undefined ? { plan } : {}),
    },
    context,
  );
}

/**
 * Why the stored plan no longer describes the stack, or undefined: another run changed the stack
 * since the preview, or its spec is no longer the one previewed. (A change made outside Gantry is
 * caught by the engine: the plan's recorded states no longer match.)
 */
async function staleBecause(db: Pick<Db, "operation">, run: GatedRun): Promise<string | undefined> {
  if (!run.approval.plannedAt) return "it has no preview time";
  const since = new Date(run.approval.plannedAt);
  const changed = await db.operation.findFirst({
    where: {
      stackId: run.stack.id,
      id: { not: run.operationId },
      kind: { in: ["up", "destroy", "remediate", "refresh"] },
      status: { in: ["succeeded", "failed", "interrupted"] },
      finishedAt: { gt: since },
    },
    orderBy: { finishedAt: "desc" },
    select: { id: true, kind: true },
  });
  if (changed) return `operation ${changed.id} (${changed.kind}) changed the stack after the preview`;
  if (run.kind === "up" && !isDeepStrictEqual(run.stack.spec, run.spec))
    return "the stack's spec changed after the preview";
  return undefined;
}
