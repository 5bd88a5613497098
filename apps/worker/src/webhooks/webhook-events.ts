// The events Gantry notifies webhooks of. A notification carries ids only: the delivery job reads
// the rest from Postgres when it builds the body, so nothing secret or large sits in Redis. They
// are written to the webhook outbox (queueWebhook in @gantry/db) in the transaction of the change.
import { z } from "zod";

export const WebhookNotification = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("drift.detected"), stackId: z.uuid(), reportId: z.uuid() }),
  z.strictObject({
    event: z.literal("drift.resolved"),
    stackId: z.uuid(),
    /** The drift check that found it in sync, or the remediation that put it right. */
    reportId: z.uuid().optional(),
    operationId: z.uuid().optional(),
  }),
  z.strictObject({ event: z.literal("operation.finished"), operationId: z.uuid() }),
  // An operation waits for an approval of its plan; one was given, refused, or ran out.
  z.strictObject({ event: z.literal("approval.requested"), operationId: z.uuid() }),
  z.strictObject({ event: z.literal("approval.decided"), operationId: z.uuid() }),
  // An ephemeral stack expires soon; expired and is being destroyed; expired but others depend on it.
  z.strictObject({ event: z.literal("stack.expiring"), stackId: z.uuid() }),
  z.strictObject({ event: z.literal("stack.expired"), stackId: z.uuid(), operationId: z.uuid() }),
  z.strictObject({ event: z.literal("stack.expiry_blocked"), stackId: z.uuid() }),
  // A rollout paused (why: a failure, a replace or delete, new drift, or a person), resumed (by
  // whom), finished with every stack on its target version, or was cancelled (by whom).
  z.strictObject({ event: z.literal("rollout.paused"), rolloutId: z.uuid(), reason: z.string().max(1000) }),
  z.strictObject({ event: z.literal("rollout.resumed"), rolloutId: z.uuid(), by: z.string().max(100) }),
  z.strictObject({ event: z.literal("rollout.finished"), rolloutId: z.uuid() }),
  z.strictObject({ event: z.literal("rollout.cancelled"), rolloutId: z.uuid(), by: z.string().max(100) }),
]);
export type WebhookNotification = z.infer<typeof WebhookNotification>;
