// Keyset pagination over (createdAt, id), newest first: stable while rows are added. Used by every
// list that pages (stacks, operations).
import { z } from "zod";

export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

export function decodeCursor(value: string): KeysetCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, id] = parsed;
    if (typeof at !== "string" || typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const createdAt = new Date(at);
    return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id };
  } catch {
    return undefined;
  }
}

/** The `cursor` query parameter: decoded, or refused with a message. */
export const CursorParam = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = decodeCursor(value);
    if (!cursor) ctx.addIssue({ code: "custom", message: "is not a cursor from a previous page" });
    return cursor ?? z.NEVER;
  })
  .optional()
  .describe("`nextCursor` of the previous page.");

export const LimitParam = z.coerce.number().int().min(1).max(100).default(20);

/** Prisma `where` for the rows after the cursor, in (createdAt desc, id desc) order. */
export function afterCursor(cursor: KeysetCursor | undefined) {
  return cursor
    ? {
        OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
      }
    : {};
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<T extends KeysetCursor>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
