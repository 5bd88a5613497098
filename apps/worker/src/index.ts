export { loadConfig, type WorkerConfig } from "./config.ts";
export { startOutboxRelay, OUTBOX_CHANNEL } from "./outbox/relay.ts";
export { runOperation, type RunOperationDeps } from "./operations/run-operation.ts";
