export { loadConfig, type WorkerConfig } from "./config.ts";
export { type RunOperationDeps, runOperation } from "./operations/run-operation.ts";
export { startOutboxRelay } from "./outbox/relay.ts";
