// Pulumi homes made by tests (a test Gantry's data dir, an engine sandbox) see the resource plugins
// setup installed for this checkout ($GANTRY_DATA_DIR/pulumi-home/plugins, scripts/setup/plugins.sh)
// through a link, instead of copying a 150 MB provider into each. Nothing writes there during a
// run: automatic plugin installation is off.
import { existsSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The plugin dir of the setup's engine home. */
export function setupPluginDir(): string {
  return join(resolve(ROOT, process.env.GANTRY_DATA_DIR ?? ".data"), "pulumi-home", "plugins");
}

/** Makes `pulumiHome/plugins` the setup's plugin dir (when the home has none of its own yet). */
export async function linkSetupPlugins(pulumiHome: string): Promise<void> {
  const plugins = join(pulumiHome, "plugins");
  if (existsSync(plugins) || !existsSync(setupPluginDir())) return;
  await mkdir(pulumiHome, { recursive: true });
  await symlink(setupPluginDir(), plugins);
}
