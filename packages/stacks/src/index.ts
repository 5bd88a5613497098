// @gantry/stacks: the kind registry and the kinds with their programs (README, Kinds). This entry
// loads Pulumi; `@gantry/stacks/specs` is the kinds without their programs.

export { formatPath } from "@gantry/core";
export { awsCredentialsNotFound, NO_AWS_CREDENTIALS } from "./aws/platform.ts";
export {
  type DependencyRef,
  dependenciesOfKind,
  dependencyOfKind,
  pulumiNames,
  readDependencies,
} from "./dependencies.ts";
export { formatIssues, type SpecIssue } from "./issues.ts";
export {
  type AnyKind,
  type AnyKindSpec,
  defineKind,
  type KindDefinition,
  type KindOutput,
  type KindSpec,
  type PlatformSettings,
  type ProgramContext,
  type ProgramOutputs,
  type SpecOf,
  type StackDependency,
} from "./kind.ts";
export { PG_EXTENSIONS, type PgDatabaseSpec, pgDatabaseSpec } from "./kinds/pg-database/spec.ts";
export { mergePatch } from "./merge.ts";
export { physicalName } from "./physical-name.ts";
export { type PluginName, type PulumiPlugin, pluginVersion, requiredPlugins } from "./plugins.ts";
export {
  dependencyIssues,
  getKind,
  listKinds,
  mergeSpec,
  parseSpec,
  registryFor,
  secretInputs,
} from "./programs.ts";
export { createRegistry, type KindSummary, type Registry, type SpecResult } from "./registry.ts";
export {
  SECRET_INPUT_SET,
  SECRET_INPUTS_OUTPUT,
  type SecretInputs,
  secretInput,
  splitSecretInputs,
} from "./secret-inputs.ts";
export { defineKindSpec, KIND_DEFINITIONS, specRegistryFor } from "./specs.ts";
