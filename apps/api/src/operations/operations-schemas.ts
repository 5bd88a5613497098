import { OPERATION_KINDS, OPERATION_STATUSES } from "@gantry/core";
import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";
import { CursorParam, LimitParam } from "../http/keyset-cursor.ts";

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

export const Approval = z
  .object({
    state: z.enum(["pending", "not_needed", "awaiting", "approved", "rejected", "expired"]),
    rule: z.string().nullable().describe("The approval rule that applied to the plan."),
    reason: z.string().nullable().describe("The change of the plan that made it apply."),
    plannedAt: Timestamp.nullable().describe("When the preview stored the plan."),
    expiresAt: Timestamp.nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
    comment: z.string().nullable(),
  })
  .meta({ id: "Approval" });

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
    diff: z
      .unknown()
      .describe(
        "For previews: the plan, one entry per resource that would change ({urn, type, op, properties: [{path, change, before, after}]}), secrets blinded.",
      ),
    approval: Approval.nullable().describe(
      "For an up or destroy that approval rules may hold back: its approval (README, Approvals). The stored plan itself is never shown; `diff` is its per-resource view.",
    ),
    blueprintVersion: z
      .number()
      .int()
      .nullable()
      .describe("For an up or a preview: the blueprint version of the kind it applies."),
    cancelRequested: z.boolean().describe("Someone asked this operation to stop; it ends `cancelled`."),
    error: OperationError.nullable().describe(
      "Why it failed, or, while it is queued again, why its last run did not finish (it is retried).",
    ),
    attempts: z
      .number()
      .int()
      .describe("Runs it has had so far (transient failures and interruptions are retried)."),
    retryAt: Timestamp.nullable().describe(
      "For an operation queued again after a transient failure: when its backoff ends and it may run.",
    ),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: "Operation" });

export type OperationView = z.output<typeof Operation>;

export const BlueprintVersionParam = z
  .union([z.int().min(1).max(10_000), z.literal("latest")])
  .describe("A blueprint version of the kind, or `latest` (README, Blueprint versions).");

export const RequestOperationBody = z.strictObject({
  kind: z
    .enum(OPERATION_KINDS)
    .describe(
      "`preview`, `refresh`, `up`, `drift-check` (operators), `destroy`, `remediate` (admins). Runs on the current spec.",
    ),
  spec: z
    .record(z.string().max(100), z.unknown())
    .optional()
    .describe(
      "For `preview` and `up`: a JSON Merge Patch on the current spec. A preview shows what it would change " +
        "without storing it; an `up` stores it, like PATCH /v1/stacks/:id.",
    ),
  blueprintVersion: BlueprintVersionParam.optional().describe(
    "For `preview` and `up`: move the stack to this blueprint version (default: the one it has).",
  ),
});
export type RequestOperationInput = z.output<typeof RequestOperationBody>;

export const OperationHistoryQuery = z.strictObject({
  kind: z.enum(OPERATION_KINDS).optional(),
  status: z.enum(OPERATION_STATUSES).optional(),
  cursor: CursorParam.optional(),
  limit: LimitParam,
});
export type OperationHistoryQuery = z.output<typeof OperationHistoryQuery>;

export const OperationList = z.object({
  operations: z.array(Operation),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
});

export const EventsQuery = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0)
    .describe("Return events with a sequence number above this (the last one seen)."),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const OperationEvent = z
  .object({
    seq: z.number().int().describe("Position in the operation's log, from 1, without gaps."),
    type: z.string().describe("Engine event kind: diagnostic, resourcePre, resOutputs, summary, …"),
    payload: z.unknown().describe("The engine event as emitted, secrets blinded."),
    createdAt: Timestamp,
  })
  .meta({ id: "OperationEvent" });
export type OperationEventView = z.output<typeof OperationEvent>;

export const EventPage = z.object({
  events: z.array(OperationEvent),
  next: z.number().int().describe("Pass as `after` to read on."),
  finished: z
    .boolean()
    .describe("The operation has ended and this page holds its last events: nothing more will come."),
});
