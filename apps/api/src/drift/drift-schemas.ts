import { DRIFT_STATUSES } from "@gantry/core";
import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";
import { CursorParam } from "../http/keyset-cursor.ts";

export const DriftedResource = z
  .object({
    urn: z.string(),
    type: z.string(),
    change: z.enum(["changed", "deleted"]).describe("`deleted`: the resource is gone."),
    properties: z
      .array(
        z.object({
          name: z.string(),
          expected: z.unknown().describe("The value the state records (what Gantry set)."),
          actual: z.unknown().describe('The value found on the resource; secrets show as "[secret]".'),
        }),
      )
      .describe("For `changed` resources, the properties that differ."),
  })
  .meta({ id: "DriftedResource" });

export const DriftReport = z
  .object({
    id: z.string(),
    operationId: z.string().describe("The drift-check operation that produced it."),
    status: z.enum(["in_sync", "drifted", "error"]),
    resources: z.array(DriftedResource),
    remediation: z
      .object({
        decision: z.enum(["remediate", "needs_approval", "preview_failed"]),
        reason: z.string().optional(),
        operationId: z.string().nullable().optional(),
      })
      .nullable()
      .describe("What auto-remediation decided, when the stack has it on."),
    error: z.string().nullable(),
    checkedAt: Timestamp,
  })
  .meta({ id: "DriftReport" });
export type DriftReportView = z.output<typeof DriftReport>;

export const DriftSettings = z
  .object({
    intervalSeconds: z
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .nullable()
      .describe(
        "Seconds between scheduled drift checks; null: the platform default; 0: no scheduled checks.",
      ),
    autoRemediate: z
      .boolean()
      .describe("Put drift right on detection, when the remediation replaces or deletes nothing."),
  })
  .meta({ id: "DriftSettings" });

export const DriftSettingsBody = z.strictObject({
  intervalSeconds: DriftSettings.shape.intervalSeconds.optional(),
  autoRemediate: z.boolean().optional(),
});

export const StackDrift = z
  .object({
    stackId: z.string(),
    driftStatus: z.enum(DRIFT_STATUSES),
    driftCheckedAt: Timestamp.nullable(),
    nextCheckAt: Timestamp.nullable().describe(
      "When the schedule checks next, once it has placed the stack.",
    ),
    remediationNeedsApproval: z
      .boolean()
      .describe(
        "Auto-remediation found that putting it right replaces or deletes resources: a person decides.",
      ),
    settings: DriftSettings,
    latest: DriftReport.nullable(),
    history: z.array(DriftReport).describe("Reports, newest first (the first page starts with `latest`)."),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "StackDrift" });

export const DriftHistoryQuery = z.strictObject({
  cursor: CursorParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type DriftHistoryQuery = z.output<typeof DriftHistoryQuery>;

export const FleetDriftQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const FleetDrift = z
  .object({
    counts: z.object(
      Object.fromEntries(DRIFT_STATUSES.map((s) => [s, z.int()])) as Record<
        (typeof DRIFT_STATUSES)[number],
        z.ZodInt
      >,
    ),
    drifted: z
      .array(
        z.object({
          stack: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
          driftCheckedAt: Timestamp.nullable(),
          remediationNeedsApproval: z.boolean(),
          resources: z.array(DriftedResource).describe("What drifted, from the latest report."),
        }),
      )
      .describe("The team's drifted stacks, most recently checked first."),
  })
  .meta({ id: "FleetDrift" });
