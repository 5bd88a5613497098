// @gantry/stacks: the kind registry and the kinds (README, Kinds).

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
  defineKind,
  type KindDefinition,
  type KindOutput,
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
  createRegistry,
  dependencyIssues,
  getKind,
  type KindSummary,
  listKinds,
  mergeSpec,
  parseSpec,
  type Registry,
  registryFor,
  type SpecResult,
  secretInputs,
} from "./registry.ts";
export {
  SECRET_INPUT_SET,
  SECRET_INPUTS_OUTPUT,
  type SecretInputs,
  secretInput,
  splitSecretInputs,
} from "./secret-inputs.ts";
