// Accepting an operation (row + outbox entry + notification in one transaction) lives in @gantry/db,
// shared with the worker, which enqueues scheduled drift checks and auto-remediations the same way.
export { enqueueOperation, type NewOperation, type OutboxTx } from "@gantry/db";
