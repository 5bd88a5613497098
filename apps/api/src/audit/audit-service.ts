// Writing and reading the audit log, always within one team.
import { type AuditEntryModel, type Db, PREPARED, Prisma, queryRows } from "@gantry/db";
import { afterCursor, newestFirst, toPage } from "../http/keyset-cursor.ts";
import { eachAlone, turnBatch } from "../turn-batch.ts";
import type { AuditQuery } from "./audit-schemas.ts";

export type NewAuditEntry = Omit<AuditEntryModel, "id" | "at">;

export interface AuditDeps {
  db: Pick<Db, "auditEntry" | "pool">;
}

/** The columns written, in the order of the INSERT's unnest() arrays. */
const COLUMNS = [
  ["teamId", "uuid"],
  ["actor", "text"],
  ["role", "text"],
  ["action", "text"],
  ["method", "text"],
  ["route", "text"],
  ["targetId", "text"],
  ["requestId", "text"],
  ["statusCode", "int"],
  ["result", "text"],
  ["ip", "text"],
] as const satisfies readonly (readonly [keyof NewAuditEntry, string])[];

/**
 * Entries in one prepared INSERT on the pool, each column an array: one statement text for any
 * number of entries. (Prisma's create built the statement for each entry and read the new row
 * back, a fifth of a create's CPU in the API.)
 */
async function insertEntries(pool: Db["pool"], entries: readonly NewAuditEntry[]): Promise<void> {
  const arrays = COLUMNS.map(
    ([field, type]) => Prisma.sql`${entries.map((entry) => entry[field])}::${Prisma.raw(type)}[]`,
  );
  await queryRows(
    pool,
    Prisma.sql`${PREPARED}
    INSERT INTO audit_entries
      (id, team_id, actor, role, action, method, route, target_id, request_id, status_code, result, ip)
    SELECT gen_random_uuid(), * FROM unnest(${Prisma.join(arrays)})`,
  );
}

export function createAuditService(deps: AuditDeps) {
  // Every audited request writes its entry before its answer leaves: the entries of requests
  // answered in one turn are one INSERT. When it fails, each is written on its own, so an entry
  // that cannot be written (its team deleted meanwhile) fails only its own request's record.
  const writes = turnBatch<NewAuditEntry, true>(async (entries) => {
    try {
      await insertEntries(deps.db.pool, entries);
    } catch (err) {
      if (entries.length === 1) throw err;
      return eachAlone(entries, (entry) => insertEntries(deps.db.pool, [entry]).then(() => true as const));
    }
    return entries.map(() => true as const);
  });

  return {
    async record(entry: NewAuditEntry): Promise<void> {
      await writes.load(entry);
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
