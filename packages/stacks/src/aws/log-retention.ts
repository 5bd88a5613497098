// How long CloudWatch Logs keeps a kind's logs: only the periods CloudWatch accepts, as a spec field.
import { z } from "zod";

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function logRetentionField(what: string, fallback: (typeof LOG_RETENTION_DAYS)[number]) {
  return z
    .literal(LOG_RETENTION_DAYS)
    .default(fallback)
    .describe(
      `Days ${what} are kept in CloudWatch Logs (a period CloudWatch accepts: 1, 3, 5, 7, 14, 30, 60, 90, 365, …).`,
    )
    .meta({ examples: [fallback, 365] });
}
