import { OPERATION_KINDS, OPERATION_STATUSES } from "@gantry/core";
import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";

export const ChangeSummary = z.object({
  create: z.number(),
  update: z.number(),
  replace: z.number(),
  delete: z.number(),
  same: z.number(),
});

export const OperationError = z.object({
  message: z.string(),
  retryable: z.boolean().describe("Whether running the same operation again may succeed."),
});

export const Operation = z
  .object({
    id: z.string(),
    stackId: z.string(),
    kind: z.enum(OPERATION_KINDS),
    status: z.enum(OPERATION_STATUSES),
    requestedBy: z.string().describe("Display prefix (and name) of the token that asked."),
    spec: z
      .record(z.string(), z.unknown())
      .describe("The spec this run applies, frozen when it was accepted."),
    summary: ChangeSummary.nullable(),
    diff: z.unknown().describe("Per-resource changes, for previews and drift checks."),
    error: OperationError.nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: "Operation" });

export type OperationView = z.output<typeof Operation>;
