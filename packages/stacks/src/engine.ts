// @gantry/stacks/engine: what an engine process needs to run a kind, loading that kind's program
// alone (kind-loaders.ts). The package's main entry loads every kind; the spec side is ./specs.
export { awsCredentialsNotFound } from "./aws/platform.ts";
export { type DependencyRef, pulumiNames, readDependencies } from "./dependencies.ts";
export { loadKind } from "./kind-loaders.ts";
export { physicalName } from "./physical-name.ts";
export { SECRET_INPUT_SET, SECRET_INPUTS_OUTPUT } from "./secret-inputs.ts";
