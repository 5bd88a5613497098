// Moves the stacks of the earlier default state backend (file://<data dir>/state, one machine's
// disk) into the backend now configured (by default Postgres, shared by every worker), with the
// pulumi CLI: each stack is exported from the file backend and imported into a stack of the same
// name in the new one. Idempotent: a stack the new backend already has is left as it is there (it
// was moved by an earlier, interrupted migration, or has run since), and the old directory is
// renamed, never deleted, once every stack is across.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { redactSecrets } from "@gantry/core";
import { type EngineSettings, engineSecrets } from "../settings.ts";

const run = promisify(execFile);

export interface MigrationResult {
  /** Fully qualified names (organization/project/stack) of the stacks imported now. */
  moved: string[];
  /** Stacks the new backend had already. */
  present: string[];
  /** Where the old directory was moved to; absent when there was nothing to migrate. */
  keptAt?: string;
}

/** The earlier default backend's directory, under the data dir. */
export function fileStateDir(dataDir: string): string {
  return join(dataDir, "state");
}

export async function migrateFileState(
  settings: EngineSettings,
  fromDir: string,
  now: () => Date = () => new Date(),
): Promise<MigrationResult> {
  if (!existsSync(join(fromDir, ".pulumi"))) return { moved: [], present: [] };
  if (settings.backendUrl === `file://${fromDir}`) return { moved: [], present: [] };
  const cli = pulumiCli(settings);
  const from = `file://${fromDir}`;
  const workDir = await mkdtemp(join(tmpdir(), "gantry-state-migration-"));
  try {
    const stacks = await cli.stackNames(from, workDir);
    const existing = new Set(await cli.stackNames(settings.backendUrl, workDir));
    const result: MigrationResult = { moved: [], present: [] };
    for (const name of stacks) {
      if (existing.has(name)) {
        result.present.push(name);
        continue;
      }
      const file = join(workDir, "deployment.json");
      await cli.call(from, workDir, ["stack", "export", "--stack", name, "--file", file]);
      // `stack init` records the stack's config in a Pulumi.yaml project; any project file works.
      const project = name.split("/")[1] ?? "gantry";
      await writeFile(join(workDir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
      await cli.call(settings.backendUrl, workDir, [
        "stack",
        "init",
        name,
        "--secrets-provider",
        settings.secretsProvider,
      ]);
      await cli.call(settings.backendUrl, workDir, ["stack", "import", "--stack", name, "--file", file]);
      await rm(join(workDir, "Pulumi.yaml"));
      result.moved.push(name);
    }
    const keptAt = `${fromDir}.migrated-${now().toISOString().replaceAll(":", "")}`;
    await rename(fromDir, keptAt);
    return { ...result, keptAt };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The CLI with the engine's quiet, offline settings; its output never leaves unredacted. */
function pulumiCli(settings: EngineSettings) {
  const secrets = engineSecrets(settings);
  const call = async (backendUrl: string, cwd: string, args: string[]): Promise<string> => {
    const env: Record<string, string> = {
      PATH: settings.path,
      HOME: settings.pulumiHome,
      PULUMI_HOME: settings.pulumiHome,
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    if (settings.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = settings.passphrase;
    try {
      return (await run("pulumi", [...args, "--non-interactive"], { cwd, env, maxBuffer: 1 << 28 })).stdout;
    } catch (err) {
      const { stderr, message } = err as { stderr?: string; message: string };
      throw new Error(redactSecrets(`pulumi ${args.slice(0, 2).join(" ")}: ${stderr || message}`, secrets));
    }
  };
  return {
    call,
    /** Every stack of a backend, fully qualified. */
    async stackNames(backendUrl: string, cwd: string): Promise<string[]> {
      const listed = JSON.parse(await call(backendUrl, cwd, ["stack", "ls", "--all", "--json"])) as {
        name: string;
      }[];
      return listed.map((stack) => stack.name);
    },
  };
}
