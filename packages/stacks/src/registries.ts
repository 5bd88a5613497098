// The registries a process uses, built on first use (each computes every kind's JSON Schema):
// the spec side alone for the API (specs.ts), the kinds with their programs for the engine.
import type { AnyKindSpec } from "./kind-spec.ts";
import { createRegistry, type Registry } from "./registry.ts";

export interface RegistryOptions {
  /** With the benchmark-only kinds (GANTRY_BENCH_KINDS=true). */
  benchKinds: boolean;
}

/** `registryFor(options)` over `kinds` and `benchKinds`, each registry built once, when first asked. */
export function lazyRegistries<Kind extends AnyKindSpec>(
  kinds: () => readonly Kind[],
  benchKinds: () => readonly Kind[],
): (options: RegistryOptions) => Registry<Kind> {
  let plain: Registry<Kind> | undefined;
  let withBench: Registry<Kind> | undefined;
  return (options) => {
    if (options.benchKinds) {
      withBench ??= createRegistry([...kinds(), ...benchKinds()]);
      return withBench;
    }
    plain ??= createRegistry(kinds());
    return plain;
  };
}
