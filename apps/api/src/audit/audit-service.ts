// Writing and reading the audit log, always within one team.
import type { AuditEntryModel, Db } from "@gantry/db";
import { afterCursor, newestFirst, toPage } from "../http/keyset-cursor.ts";
import type { AuditQuery } from "./audit-schemas.ts";

export type NewAuditEntry = Omit<AuditEntryModel, "id" | "at">;

export interface AuditDeps {
  db: Pick<Db, "auditEntry">;
}

export function createAuditService(deps: AuditDeps) {
  return {
    async record(entry: NewAuditEntry): Promise<void> {
      await deps.db.auditEntry.create({ data: entry });
    },

    /** The team's entries, newest first, filtered; keyset-paginated over (at, id). */
    async list(
      teamId: string,
      query: AuditQuery,
    ): Promise<{ entries: AuditEntryModel[]; nextCursor: string | null }> {
      const { cursor } = query;
      const rows = await deps.db.auditEntry.findMany({
        where: {
          teamId,
          ...(query.action ? { action: query.action } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.target ? { targetId: query.target } : {}),
          ...(query.from || query.to
            ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
            : {}),
          ...afterCursor(cursor, "at"),
        },
        orderBy: newestFirst("at"),
        take: query.limit + 1,
      });
      const page = toPage(rows, query.limit, (row) => row.at);
      return { entries: page.rows, nextCursor: page.nextCursor };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
