// Schemas shared by every router: the error body and the ids in paths.
import { z } from "zod";

export const ErrorBody = z
  .object({
    error: z.string().describe("Stable machine-readable code, e.g. `validation_failed`, `not_found`."),
    message: z.string().describe("What went wrong, in one sentence a person can act on."),
    requestId: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("For 400 and 422: each field that was refused and why."),
  })
  .meta({ id: "Error" });

/** Error responses every authenticated route can answer. */
export const authErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody } as const;

/**
 * Ids in paths: any short string; one that is not a UUID is simply unknown (404), like an id of
 * another team.
 */
export const IdParams = z.strictObject({ id: z.string().min(1).max(100).describe("Resource id (UUID).") });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const Timestamp = z.date().describe("ISO 8601 timestamp.");
