import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";
import { BlueprintVersionParam } from "../operations/operations-schemas.ts";

const WaveSize = z
  .union([
    z.int().min(1).max(10_000),
    z
      .string()
      .max(4)
      .regex(/^([1-9][0-9]?|100)%$/, "a percentage, e.g. 10%"),
  ])
  .describe("Stacks in the wave: a count, or a percentage of all the rollout's stacks (rounded up).");

export const CreateRolloutBody = z.strictObject({
  kind: z.string().min(1).max(32),
  targetVersion: BlueprintVersionParam,
  waves: z
    .array(WaveSize)
    .min(1)
    .max(20)
    .default([1, "10%", "100%"])
    .describe("Wave sizes in order; the last wave takes whatever is left."),
  stacks: z
    .array(z.string().min(1).max(63))
    .max(1000)
    .optional()
    .describe(
      "Only these stacks (names or ids); default: every ready stack of the kind not on the target version.",
    ),
});
export type CreateRolloutInput = z.output<typeof CreateRolloutBody>;

export const RolloutStackView = z.object({
  stackId: z.string(),
  name: z.string(),
  wave: z.int().describe("0-based."),
  state: z.enum(["pending", "previewing", "previewed", "applying", "succeeded", "failed"]),
  fromVersion: z.int(),
  previewOperationId: z.string().nullable(),
  upOperationId: z.string().nullable(),
  error: z.string().nullable(),
});

export const Rollout = z
  .object({
    id: z.string(),
    kind: z.string(),
    targetVersion: z.int(),
    status: z.enum(["previewing", "running", "paused", "cancelled", "succeeded"]),
    waves: z.array(z.int()).describe("Resolved wave sizes."),
    currentWave: z.int().describe("0-based: the wave being applied (while running or paused in it)."),
    pausedReason: z.string().nullable(),
    requestedBy: z.string(),
    progress: z.record(z.string(), z.int()).describe("Stacks per state."),
    stacks: z.array(RolloutStackView),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: "Rollout" });

export const RolloutList = z.object({ rollouts: z.array(Rollout.omit({ stacks: true })) });
