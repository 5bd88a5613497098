// @gantry/api as a library: the app factory and the contracts of what it is built from.
export { type AppDeps, buildApp } from "./app.ts";
export type { RouteAccess } from "./auth/auth-plugin.ts";
export type { Access, Caller } from "./auth/roles.ts";
export { type ApiConfig, loadConfig } from "./config.ts";
export type { KindListing, KindRegistry, SpecResult } from "./kinds/kind-registry.ts";
export type { ReadStackOutputs, RevealedOutputs } from "./outputs/outputs-service.ts";
