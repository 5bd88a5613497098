import { DNS_LABEL, ROLES } from "@gantry/core";
import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";

export const CreateTokenBody = z
  .strictObject({
    role: z.enum(ROLES).describe("What the token may do: `viewer` reads, `operator` changes, `admin` all."),
    name: z
      .string()
      .max(63)
      .regex(DNS_LABEL, { error: "must be a DNS label: lowercase letters, digits and hyphens" })
      .optional()
      .describe("Who or what uses it, a DNS label such as `ci-deploy`."),
    expiresInDays: z.int().min(1).max(3650).optional().describe("Lifetime in days from now."),
    expiresAt: z.iso
      .datetime({ offset: true })
      .max(40)
      .optional()
      .describe("Expiry as an ISO 8601 time in the future (instead of `expiresInDays`)."),
  })
  .refine((body) => body.expiresInDays === undefined || body.expiresAt === undefined, {
    error: "give either expiresInDays or expiresAt, not both",
    path: ["expiresAt"],
  });
export type CreateTokenInput = z.output<typeof CreateTokenBody>;

export const Token = z
  .object({
    id: z.string(),
    prefix: z.string().describe("First characters of the token: how people tell tokens apart."),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable().describe("Last use, to the minute."),
  })
  .meta({ id: "Token" });

export const CreatedToken = Token.extend({
  token: z.string().describe("The token itself. Shown only in this answer: store it now."),
}).meta({ id: "CreatedToken" });

export const TokenList = z.object({ tokens: z.array(Token) });
