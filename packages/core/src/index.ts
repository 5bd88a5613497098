export * from "./approvals.ts";
export * from "./domain.ts";
export * from "./env.ts";
export * from "./issues.ts";
export * from "./logger.ts";
export * from "./redact.ts";
