import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";
import { CursorParam } from "../http/keyset-cursor.ts";

const Time = z.iso
  .datetime({ offset: true })
  .max(40)
  .transform((value) => new Date(value));

export const AuditQuery = z.strictObject({
  action: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("e.g. `stack.create`, `stack.reveal`, `token.revoke`."),
  actor: z.string().min(1).max(16).optional().describe("Token prefix, e.g. `gnt_AbCdEfGh`."),
  target: z.string().min(1).max(100).optional().describe("Id of the stack, token or operation acted on."),
  from: Time.optional().describe("Entries at or after this time (ISO 8601)."),
  to: Time.optional().describe("Entries before this time (ISO 8601)."),
  cursor: CursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditEntry = z
  .object({
    id: z.string(),
    at: Timestamp,
    actor: z.string().describe("Display prefix of the token that asked."),
    role: z.string().nullable(),
    action: z.string(),
    method: z.string(),
    route: z.string(),
    targetId: z.string().nullable(),
    requestId: z.string(),
    statusCode: z.number(),
    result: z.enum(["ok", "denied", "rejected", "error"]),
    ip: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
});
