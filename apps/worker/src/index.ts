export { loadConfig, type WorkerConfig } from "./config.ts";
export { type RunOperationDeps, runOperation } from "./operations/run-operation.ts";
export { OUTBOX_CHANNEL, startOutboxRelay } from "./outbox/relay.ts";
