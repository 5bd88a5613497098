// Keyset pagination over (createdAt, id), newest first: stable while stacks are added. Drift
// reports page the same way over (checkedAt, id).
import { z } from "zod";

export interface StackCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: StackCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

export function decodeCursor(value: string): StackCursor | undefined {
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

/** The `cursor` query parameter of a paginated list: a `nextCursor` from the previous page. */
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
