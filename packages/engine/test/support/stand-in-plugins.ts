// Stand-ins for resource plugins that cannot be had here (aws): an executable where the engine's
// check looks, so tests of what comes after the check (the credential chain) get past it. Never
// run: those tests fail, as meant, before Pulumi would start the plugin.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type PluginName, pluginVersion } from "@gantry/stacks";

export async function installStandInPlugins(
  pulumiHome: string,
  names: PluginName[] = ["aws"],
): Promise<void> {
  for (const name of names) {
    const dir = join(pulumiHome, "plugins", `resource-${name}-v${pluginVersion(name)}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `pulumi-resource-${name}`), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  }
}
