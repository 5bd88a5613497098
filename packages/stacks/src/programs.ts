// The registry of the whole kinds, programs included: what the engine process runs. Loading this
// loads Pulumi; the API uses specs.ts instead.
import type { AnyKind } from "./kind.ts";
import { BENCH_KINDS } from "./kinds/bench-fanout/index.ts";
import { KINDS } from "./kinds/index.ts";
import { lazyRegistries } from "./registries.ts";
import type { Registry } from "./registry.ts";

/**
 * The registry a process uses: the normal one, or with the benchmark-only kinds as well when its
 * configuration says GANTRY_BENCH_KINDS=true (the engine's settings).
 */
export const registryFor: (options: { benchKinds: boolean }) => Registry<AnyKind> = lazyRegistries(
  () => KINDS,
  () => BENCH_KINDS,
);

const registry = () => registryFor({ benchKinds: false });
export const getKind: Registry<AnyKind>["getKind"] = (name) => registry().getKind(name);
export const secretInputs: Registry<AnyKind>["secretInputs"] = (name) => registry().secretInputs(name);
export const listKinds: Registry<AnyKind>["listKinds"] = () => registry().listKinds();
export const parseSpec: Registry<AnyKind>["parseSpec"] = (kind, input) => registry().parseSpec(kind, input);
export const mergeSpec: Registry<AnyKind>["mergeSpec"] = (kind, previous, patch) =>
  registry().mergeSpec(kind, previous, patch);
export const dependencyIssues: Registry<AnyKind>["dependencyIssues"] = (kind, spec, dependencies) =>
  registry().dependencyIssues(kind, spec, dependencies);
