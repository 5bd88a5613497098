// Drift of the caller's team: a stack's reports, the fleet summary, and a stack's drift settings.
import { DRIFT_STATUSES, type DriftStatus } from "@gantry/core";
import type { Db, DriftReportModel } from "@gantry/db";
import type { Caller } from "../auth/roles.ts";
import { isUuid } from "../http/common-schemas.ts";
import { NotFoundError } from "../http/errors.ts";
import { afterCursor, newestFirst, toPage } from "../http/keyset-cursor.ts";
import type { DriftHistoryQuery, DriftReportView } from "./drift-schemas.ts";

export interface DriftDeps {
  db: Pick<Db, "stack" | "driftReport">;
}

export function createDriftService(deps: DriftDeps) {
  const { db } = deps;

  async function findStack(caller: Caller, id: string) {
    const stack = isUuid(id) ? await db.stack.findFirst({ where: { id, teamId: caller.teamId } }) : null;
    if (!stack) throw new NotFoundError("stack", id);
    return stack;
  }

  return {
    async stackDrift(caller: Caller, id: string, query: DriftHistoryQuery) {
      const stack = await findStack(caller, id);
      const { cursor } = query;
      const rows = await db.driftReport.findMany({
        where: {
          stackId: stack.id,
          ...afterCursor(cursor, "checkedAt"),
        },
        orderBy: newestFirst("checkedAt"),
        take: query.limit + 1,
      });
      const latest = cursor
        ? await db.driftReport.findFirst({ where: { stackId: stack.id }, orderBy: newestFirst("checkedAt") })
        : rows[0];
      const page = toPage(rows, query.limit, (row) => row.checkedAt);
      return {
        stackId: stack.id,
        driftStatus: stack.driftStatus as DriftStatus,
        driftCheckedAt: stack.driftCheckedAt,
        nextCheckAt: stack.driftNextCheckAt,
        remediationNeedsApproval: stack.remediationNeedsApproval,
        settings: { intervalSeconds: stack.driftIntervalSeconds, autoRemediate: stack.autoRemediate },
        latest: latest ? toReportView(latest) : null,
        history: page.rows.map(toReportView),
        nextCursor: page.nextCursor,
      };
    },

    async fleet(caller: Caller, limit: number) {
      const groups = await db.stack.groupBy({
        by: ["driftStatus"],
        where: { teamId: caller.teamId, status: { not: "destroyed" } },
        _count: { _all: true },
      });
      const counts = Object.fromEntries(DRIFT_STATUSES.map((s) => [s, 0])) as Record<DriftStatus, number>;
      for (const group of groups) counts[group.driftStatus as DriftStatus] = group._count._all;
      const drifted = await db.stack.findMany({
        where: { teamId: caller.teamId, driftStatus: "drifted", status: { not: "destroyed" } },
        orderBy: [{ driftCheckedAt: "desc" }, { id: "desc" }],
        take: limit,
        select: {
          id: true,
          name: true,
          kind: true,
          driftCheckedAt: true,
          remediationNeedsApproval: true,
          driftReports: {
            orderBy: newestFirst("checkedAt"),
            take: 1,
            select: { resources: true },
          },
        },
      });
      return {
        counts,
        drifted: drifted.map((stack) => ({
          stack: { id: stack.id, name: stack.name, kind: stack.kind },
          driftCheckedAt: stack.driftCheckedAt,
          remediationNeedsApproval: stack.remediationNeedsApproval,
          resources: (stack.driftReports[0]?.resources ?? []) as DriftReportView["resources"],
        })),
      };
    },

    async updateSettings(
      caller: Caller,
      id: string,
      patch: { intervalSeconds?: number | null; autoRemediate?: boolean },
    ) {
      const stack = await findStack(caller, id);
      const intervalChanged =
        patch.intervalSeconds !== undefined && patch.intervalSeconds !== stack.driftIntervalSeconds;
      const updated = await db.stack.update({
        where: { id: stack.id },
        data: {
          ...(patch.intervalSeconds !== undefined ? { driftIntervalSeconds: patch.intervalSeconds } : {}),
          ...(patch.autoRemediate !== undefined ? { autoRemediate: patch.autoRemediate } : {}),
          // A new interval gets a new place in the schedule (a random phase within it).
          ...(intervalChanged ? { driftNextCheckAt: null } : {}),
        },
      });
      return { intervalSeconds: updated.driftIntervalSeconds, autoRemediate: updated.autoRemediate };
    },
  };
}

export type DriftService = ReturnType<typeof createDriftService>;

function toReportView(row: DriftReportModel): DriftReportView {
  return {
    id: row.id,
    operationId: row.operationId,
    status: row.status as DriftReportView["status"],
    resources: row.resources as DriftReportView["resources"],
    remediation: (row.remediation ?? null) as DriftReportView["remediation"],
    error: row.error,
    checkedAt: row.checkedAt,
  };
}
