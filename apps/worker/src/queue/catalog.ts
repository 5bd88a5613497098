// The job catalog: every job Gantry puts on BullMQ, with its payload schema. Payloads carry ids
// only — never specs or secrets; the handler reads the rest from Postgres.
import { z } from "zod";

export const OPERATIONS_QUEUE = "operations";

export const jobs = {
  "operation.run": z.object({ operationId: z.uuid() }).strict(),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]>;
