// Each run works in a directory of its own under the engine's runs directory, named for the
// engine process (run-<pid>-<stack id>-…), and the Automation API's temporary files (each command's
// event log) go inside it. A run removes its directory when it ends; one whose process was killed
// cannot, so each run first removes the directories of engine processes that are gone. The runs
// directory belongs to this machine, so a pid in a name says whether its run is still alive.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Inside the repository tree (a run's Pulumi.yaml lives in its directory): the dynamic provider
 * plugin starts in a run's directory and resolves @pulumi/pulumi and the kinds' packages (pg, …)
 * from the workspace's node_modules by walking up from it.
 */
export const RUNS_DIR = fileURLToPath(new URL("../../.work/", import.meta.url));

const NAME = /^run-(\d+)-/;

/** Creates this process's work directory for a run of `stackId`, after sweeping abandoned ones. */
export async function createWorkDir(runsDir: string, stackId: string): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  await removeAbandonedWorkDirs(runsDir);
  return mkdtemp(join(runsDir, `run-${process.pid}-${stackId}-`));
}

/** Removes the work directories of engine processes that no longer run. */
async function removeAbandonedWorkDirs(runsDir: string): Promise<void> {
  for (const name of await readdir(runsDir)) {
    const pid = Number(NAME.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    await rm(join(runsDir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
