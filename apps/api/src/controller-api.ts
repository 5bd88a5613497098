// What the Kubernetes controller (apps/controller) uses of the API: the same stack service,
// policy and errors the REST routes use, so a custom resource is validated, policed, queued and
// owned exactly as a REST request is.
export type { Caller } from "./auth/roles.ts";
export { ApiError, ConflictError, describeIssues, UnprocessableError } from "./http/errors.ts";
export type { KindListing, KindRegistry } from "./kinds/kind-registry.ts";
export { createPolicyChecker } from "./policy/policy-check.ts";
export { loadPolicyFile } from "./policy/policy-schema.ts";
export { type LoadedStack, STACK_INCLUDE, toStackView } from "./stacks/stack-view.ts";
export { CreateStackBody } from "./stacks/stacks-schemas.ts";
export { createStacksService, type StacksService } from "./stacks/stacks-service.ts";
export type { Accepted } from "./stacks/stacks-service-contract.ts";
