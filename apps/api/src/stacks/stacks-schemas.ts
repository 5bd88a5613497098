import { DNS_LABEL, DRIFT_STATUSES, STACK_STATUSES } from "@gantry/core";
import { z } from "zod";
import { Timestamp } from "../http/common-schemas.ts";
import { CursorParam, LimitParam } from "../http/keyset-cursor.ts";
import { BlueprintVersionParam, Operation } from "../operations/operations-schemas.ts";

const StackName = z
  .string()
  .max(63)
  .regex(DNS_LABEL, {
    error:
      "must be a DNS label: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  })
  .describe("Unique within the team; a DNS label (becomes part of resource names).");

const SpecObject = z
  .record(z.string().max(100), z.unknown())
  .describe("The kind's spec; `GET /v1/kinds` has its JSON Schema.");

/** Lifetime of an ephemeral stack: at least a few seconds (CI), at most a year. */
export const Ttl = z
  .int()
  .min(5)
  .max(365 * 86_400);
export const FutureTime = z.iso
  .datetime({ offset: true })
  .max(40)
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), { error: "must be in the future" });

const DependsOn = z.array(z.string().min(1).max(63)).max(20);

export const CreateStackBody = z.strictObject({
  kind: z.string().min(1).max(32).describe("One of the kinds from `GET /v1/kinds`."),
  name: StackName,
  spec: SpecObject,
  dependsOn: DependsOn.optional().describe(
    "Names or ids of the team's stacks this one uses; each must be of a kind the new kind may depend on.",
  ),
  ttl: Ttl.optional().describe(
    "Seconds this stack lives: an ephemeral stack, destroyed by the schedule when they have passed.",
  ),
  expiresAt: FutureTime.optional().describe("When this stack is destroyed by the schedule (instead of ttl)."),
  blueprintVersion: BlueprintVersionParam.optional().describe("Default: the kind's latest."),
});
export type CreateStackInput = z.output<typeof CreateStackBody>;

export const PatchStackBody = z.strictObject({
  spec: SpecObject.describe(
    "JSON Merge Patch on the current spec: send only what changes; `null` restores a default.",
  ),
  dependsOn: DependsOn.optional().describe(
    "The whole new list of stacks this one uses (names or ids), checked as at creation; absent: unchanged. " +
      "A stack dropped from it can only be destroyed after this one's next successful up.",
  ),
});

export const ListStacksQuery = z.strictObject({
  kind: z.string().min(1).max(32).optional(),
  status: z.enum(STACK_STATUSES).optional(),
  protected: z
    .enum(["true", "false"])
    .optional()
    .describe("Only the stacks an admin marked protected (`true`), or only the others (`false`)."),
  cursor: CursorParam.optional(),
  limit: LimitParam,
});
export type ListStacksQuery = z.output<typeof ListStacksQuery>;

export const StackRef = z.object({ id: z.string(), name: z.string(), kind: z.string() });

export const Stack = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    status: z.enum(STACK_STATUSES),
    spec: z.record(z.string(), z.unknown()),
    outputs: z
      .record(z.string(), z.unknown())
      .describe('Outputs of the last successful run; secret values are shown as "[secret]".'),
    secretOutputs: z.array(z.string()).describe("Names of the outputs that are secret."),
    driftStatus: z.enum(DRIFT_STATUSES),
    driftCheckedAt: Timestamp.nullable(),
    expiresAt: Timestamp.nullable().describe("An ephemeral stack: when the schedule destroys it (README)."),
    expiryBlockedReason: z
      .string()
      .nullable()
      .describe("Why the schedule has not destroyed this expired stack (other stacks depend on it)."),
    blueprintVersion: z
      .number()
      .int()
      .describe("The blueprint version of its kind its last up applied (README, Blueprint versions)."),
    protected: z
      .boolean()
      .describe(
        "Marked protected by an admin: `protectedOnly` approval rules apply, its destroy always needs an approval, and it does not expire (README, Approvals).",
      ),
    dependsOn: z.array(StackRef),
    managedBy: z
      .string()
      .nullable()
      .describe("The Kubernetes resource that owns the stack (`PgDatabase team-a/orders`): change it there."),
    lastOperation: Operation.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Stack" });
export type StackView = z.output<typeof Stack>;

export const StackList = z.object({
  stacks: z.array(Stack),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
});

export const Accepted = z
  .object({ stack: Stack, operation: Operation })
  .describe("The request was accepted; the operation runs in the background.");
