// @gantry/client: the typed client of the Gantry API, generated from its OpenAPI document, for
// the CLI, the web console and the end-to-end tests.
import type { components } from "./generated/openapi.ts";

export { type ClientOptions, createGantryClient, type GantryClient } from "./client.ts";
export { type ErrorBody, GantryApiError, unwrap } from "./errors.ts";
export {
  type FollowOptions,
  followOperationEvents,
  type OperationEvent,
  type OperationStatus,
} from "./event-stream.ts";
export type { components, paths } from "./generated/openapi.ts";

type Schemas = components["schemas"];
export type Stack = Schemas["Stack"];
export type Operation = Schemas["Operation"];
export type Kind = Schemas["Kind"];
export type Outputs = Schemas["Outputs"];
export type StackDrift = Schemas["StackDrift"];
export type FleetDrift = Schemas["FleetDrift"];
