// @gantry/stacks/specs: the kinds without their programs. Spec schemas, outputs, contracts and
// refusals, the registry over them, and the engine environment each kind needs; nothing here
// loads Pulumi, so the API (and whatever else only validates specs) starts fast and stays small.
// A module added here must not import @pulumi/* (apps/api/test/no-pulumi.test.ts checks).

import type { AnyKindSpec } from "./kind-spec.ts";
import { BENCH_KIND_DEFINITIONS, KIND_DEFINITIONS } from "./kinds/definitions.ts";
import { lazyRegistries } from "./registries.ts";
import type { Registry } from "./registry.ts";

export { formatPath } from "@gantry/core";
export { formatIssues, type SpecIssue } from "./issues.ts";
export {
  type AnyKindSpec,
  defineKindSpec,
  type KindOutput,
  type KindSpec,
  type PlatformSettings,
  type SpecOf,
} from "./kind-spec.ts";
export { BENCH_KIND_DEFINITIONS, KIND_DEFINITIONS } from "./kinds/definitions.ts";
export { PG_EXTENSIONS, type PgDatabaseSpec, pgDatabaseSpec } from "./kinds/pg-database/spec.ts";
export { mergePatch } from "./merge.ts";
export { type PluginName, type PulumiPlugin, pluginVersion, requiredPlugins } from "./plugins.ts";
export { createRegistry, type KindSummary, type Registry, type SpecResult } from "./registry.ts";
export { SECRET_INPUT_SET, secretInputNames, splitSecretInputs } from "./secret-inputs.ts";

/** The spec registry a process uses: with the benchmark-only kinds when GANTRY_BENCH_KINDS=true. */
export const specRegistryFor: (options: { benchKinds: boolean }) => Registry<AnyKindSpec> = lazyRegistries(
  () => KIND_DEFINITIONS,
  () => BENCH_KIND_DEFINITIONS,
);
