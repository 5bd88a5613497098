export { createDb, type Db } from "./client.ts";
export { destructionUnderWay } from "./destruction.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export { type Listener, listen } from "./listen.ts";
export { enqueueOperation, enqueueOperations, type NewOperation, type OutboxTx } from "./outbox.ts";
