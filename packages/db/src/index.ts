export { createDb, type Db } from "./client.ts";
export { asJsonRows, operationColumns, splitStackRow, stackColumns } from "./columns.ts";
export { dependentNames, destructionUnderWay, liveDependents } from "./destruction.ts";
export { type FleetFigures, readFleetFigures } from "./fleet-figures.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export * from "./lifecycle/index.ts";
export { type Listener, type ListenerStates, listen } from "./listen.ts";
export { enqueueOperation, enqueueOperations, type NewOperation, type OutboxTx } from "./outbox.ts";
export { PREPARED } from "./prepared.ts";
export { queryRows, type RawRunner } from "./raw-rows.ts";
export {
  cancelRollout,
  nextWave,
  pauseRollout,
  ROLLOUT_STATUSES,
  ROLLOUT_TRANSITIONS,
  type RolloutStackState,
  type RolloutStatus,
  resumeRollout,
  startApplying,
} from "./rollouts/rollout-lifecycle.ts";
export {
  clearSecretInputs,
  handOffSecretInputs,
  type PendingSecretInputs,
  pendingSecretInputs,
  secretInputKey,
  UnopenableSecretInputs,
} from "./secret-inputs.ts";
export { type CreatedStack, createStacksWithUp, type NewStack, StackNameTaken } from "./stack-create.ts";
export { queueWebhook, WEBHOOK_OUTBOX_CHANNEL, type WebhookOutboxTx } from "./webhook-outbox.ts";
