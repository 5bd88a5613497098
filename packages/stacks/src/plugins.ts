// The Pulumi resource plugins a kind's program loads, at the versions the pinned npm packages ask
// for: the engine checks they are installed before it starts a run (packages/engine/src/plugins.ts).
import { createRequire } from "node:module";
import type { AnyKindSpec } from "./kind-spec.ts";

export type PluginName = "aws" | "kubernetes";

export interface PulumiPlugin {
  name: PluginName;
  version: string;
}

const PACKAGES: Record<PluginName, string> = { aws: "@pulumi/aws", kubernetes: "@pulumi/kubernetes" };
const require = createRequire(import.meta.url);

/** The plugin version the npm package asks the engine for (its package.json's `pulumi.version`). */
export function pluginVersion(name: PluginName): string {
  const pkg = require(`${PACKAGES[name]}/package.json`) as { version: string; pulumi?: { version?: string } };
  return pkg.pulumi?.version ?? pkg.version;
}

/** A kind's cloud brings its plugin; `plugins` names any others its program uses. */
export function requiredPlugins(
  kind: Pick<AnyKindSpec, "cloud" | "plugins" | "usesCloud">,
  /** The stack's spec: a workload on Kubernetes needs no AWS plugin. */
  spec: unknown = {},
): PulumiPlugin[] {
  const names = new Set<PluginName>(kind.plugins ?? []);
  // biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every spec type
  if (kind.cloud === "aws" && (kind.usesCloud?.(spec as any) ?? true)) names.add("aws");
  return [...names].map((name) => ({ name, version: pluginVersion(name) }));
}
