// Keyset pagination over (time, id), newest first: stable while rows are added. A cursor is the
// last row's key, opaque to clients (base64url JSON). Used by every list that pages.
import { z } from "zod";

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString("base64url");
}

export function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, id] = parsed;
    if (typeof at !== "string" || typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const date = new Date(at);
    return Number.isNaN(date.getTime()) ? undefined : { at: date, id };
  } catch {
    return undefined;
  }
}

/** The `cursor` query parameter: `nextCursor` of the previous page, decoded. */
export const CursorParam = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = decodeCursor(value);
    if (!cursor) ctx.addIssue({ code: "custom", message: "is not a cursor from a previous page" });
    return cursor ?? z.NEVER;
  })
  .describe("`nextCursor` of the previous page.");

/** The page size when none is asked for. */
export const DEFAULT_LIMIT = 20;

export const LimitParam = z.coerce.number().int().min(1).max(100).default(DEFAULT_LIMIT);

/** The time column a list pages over (with id as the tie-breaker). */
type TimeKey = "createdAt" | "at" | "checkedAt";

/** Prisma `where` for the rows after the cursor, in (`key` desc, id desc) order. */
export function afterCursor<K extends TimeKey = "createdAt">(
  cursor: Cursor | undefined,
  key: K = "createdAt" as K,
) {
  if (!cursor) return {};
  const before = { [key]: { lt: cursor.at } } as Record<K, { lt: Date }>;
  const tied = { [key]: cursor.at, id: { lt: cursor.id } } as Record<K, Date> & { id: { lt: string } };
  return { OR: [before, tied] };
}

/** Prisma `orderBy`, newest first by `key`, then by id. */
export function newestFirst<K extends TimeKey>(key: K) {
  return [{ [key]: "desc" } as Record<K, "desc">, { id: "desc" as const }];
}

export const NEWEST_FIRST = newestFirst("createdAt");

/** Cuts the `limit + 1` rows a query fetched (newest first by `key`) into a page and the next cursor. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  timeOf: (row: T) => Date = (row) => (row as T & { createdAt: Date }).createdAt,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: timeOf(last), id: last.id }) : null,
  };
}
