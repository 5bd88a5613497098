// Before a run, the platform checks that the resource plugins its kind loads are installed where
// the engine looks for them, so a missing plugin fails the operation at once with what to do,
// instead of a raw engine error after the program has run (automatic plugin downloads are off).
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { type AnyKindSpec, type PulumiPlugin, requiredPlugins } from "@gantry/stacks/specs";

/** Throws, naming the plugin, its version and how to install it, when one the kind needs is missing. */
export function assertPluginsInstalled(
  kind: AnyKindSpec,
  spec: unknown,
  pulumiHome: string,
  path: string,
): void {
  for (const plugin of requiredPlugins(kind, spec)) {
    if (!installed(plugin, pulumiHome, path))
      throw new Error(missingPluginMessage(plugin, kind.name, pulumiHome));
  }
}

function installed({ name, version }: PulumiPlugin, pulumiHome: string, path: string): boolean {
  const dir = join(pulumiHome, "plugins", `resource-${name}-v${version}`);
  if (existsSync(join(dir, `pulumi-resource-${name}`)) && !existsSync(`${dir}.partial`)) return true;
  // The CLI also takes a plugin found on its PATH ("ambient"), whatever its version.
  return path.split(delimiter).some((dir) => dir && existsSync(join(dir, `pulumi-resource-${name}`)));
}

export function missingPluginMessage(
  { name, version }: PulumiPlugin,
  kind: string,
  pulumiHome: string,
): string {
  const tarball = `pulumi-resource-${name}-v${version}-linux-amd64.tar.gz`;
  return (
    `the Pulumi ${name} resource plugin v${version}, which kind "${kind}" needs, is not installed: ` +
    `install it into the engine's Pulumi home with \`PULUMI_HOME=${pulumiHome} pulumi plugin install ` +
    `resource ${name} ${version}\` (where it cannot be downloaded, add \`--file ${tarball}\`, from ` +
    `https://get.pulumi.com/releases/plugins/${tarball}), or put that file in GANTRY_PLUGIN_DIR and run setup again`
  );
}
