// Webhook notifications go through an outbox, like operations: written in the transaction of what
// they announce, so a Redis outage delays them but loses none. The worker's webhook relay reads
// them (apps/worker/src/webhooks/) and validates their shape there; here they are ids only.
import type { Prisma } from "./generated/prisma/client.ts";

export type WebhookOutboxTx = Pick<Prisma.TransactionClient, "webhookOutboxEntry" | "$executeRaw">;

/** Postgres channel the webhook relay listens on; notified on commit of a webhook outbox row. */
export const WEBHOOK_OUTBOX_CHANNEL = "gantry_webhook_outbox";

export async function queueWebhook(
  tx: WebhookOutboxTx,
  notification: { event: string } & Record<string, string | undefined>,
): Promise<void> {
  await tx.webhookOutboxEntry.create({ data: { notification } });
  await tx.$executeRaw`SELECT pg_notify(${WEBHOOK_OUTBOX_CHANNEL}, '')`;
}
