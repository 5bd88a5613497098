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

export const LimitParam = z.coerce.number().int().min(1).max(100).default(20);

/** Prisma `where` for the rows after the cursor, in (createdAt desc, id desc) order. */
export function afterCursor(cursor: Cursor | undefined) {
  return cursor
    ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] }
    : {};
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<T extends { createdAt: Date; id: string }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
