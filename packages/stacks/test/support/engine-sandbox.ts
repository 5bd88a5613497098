// A throwaway Pulumi setup for engine tests: file backend, PULUMI_HOME and a PATH with the CLI,
// the Node.js language host and the dynamic-provider script, all in a temp dir removed afterwards.
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PulumiCommand } from "@pulumi/pulumi/automation/index.js";

export interface EngineSandbox {
  dir: string;
  /**
   * Workspace directory of the inline programs (Pulumi.yaml goes there). The dynamic-provider
   * plugin starts in it and resolves @pulumi/pulumi and `pg` by walking up from it, so it lives
   * inside the repository (packages/stacks/.work, ignored by git), as the engine's does.
   */
  workDir: string;
  backendDir: string;
  /** Environment for LocalWorkspace (`envVars`): everything the CLI and the providers need. */
  envVars: Record<string, string>;
  /** The CLI for LocalWorkspace (`pulumiCommand`): the Automation API otherwise looks only at PATH. */
  pulumiCommand: PulumiCommand;
  /**
   * Runs the CLI directly, for what the Automation API of this version cannot do (a preview-only
   * refresh, an export without secrets). Returns stdout.
   */
  cli(args: string[]): Promise<string>;
  remove(): Promise<void>;
}

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);
const WORK_ROOT = fileURLToPath(new URL("../../.work/", import.meta.url));
/** The npm SDK's version, which the language host matches; the CLI has its own (setup pins it). */
const SDK_VERSION: string = require("@pulumi/pulumi/package.json").version;

/** The directory holding `pulumi` (of setup's pinned version) and `pulumi-language-nodejs`. */
function pulumiBinDir(): string {
  const cliVersion = process.env.PULUMI_CLI_VERSION;
  if (!cliVersion) throw new Error("PULUMI_CLI_VERSION is unset: run the tests with `npm test`");
  const candidates = [
    ...(process.env.PATH ?? "").split(delimiter).filter(Boolean),
    join(
      process.env.GANTRY_CACHE ?? join(homedir(), ".cache/gantry"),
      `pulumi/v${cliVersion}-nodejs-v${SDK_VERSION}/bin`,
    ),
  ];
  for (const dir of candidates) {
    const pulumi = join(dir, "pulumi");
    if (!existsSync(pulumi) || !existsSync(join(dir, "pulumi-language-nodejs"))) continue;
    const version = execFileSync(pulumi, ["version"], { encoding: "utf8" }).trim().replace(/^v/, "");
    if (version === cliVersion) return dir;
  }
  throw new Error(
    `pulumi v${cliVersion} with pulumi-language-nodejs is neither on PATH nor in the setup cache: run \`npm run setup\``,
  );
}

export async function createEngineSandbox(extraEnv: Record<string, string>): Promise<EngineSandbox> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-stacks-engine-"));
  await mkdir(WORK_ROOT, { recursive: true });
  const workDir = await mkdtemp(join(WORK_ROOT, "engine-test-"));
  const remove = async () => {
    await Promise.all([
      rm(dir, { recursive: true, force: true }),
      rm(workDir, { recursive: true, force: true }),
    ]);
  };
  try {
    const backendDir = join(dir, "state");
    const binDir = join(dir, "bin");
    await Promise.all([mkdir(backendDir), mkdir(binDir), mkdir(join(dir, "home"))]);
    // One bin dir with the CLI, its language host and the dynamic-provider script, which ships
    // inside @pulumi/pulumi.
    const cliDir = pulumiBinDir();
    const pulumiPackage = dirname(require.resolve("@pulumi/pulumi/package.json"));
    await Promise.all([
      symlink(join(cliDir, "pulumi"), join(binDir, "pulumi")),
      symlink(join(cliDir, "pulumi-language-nodejs"), join(binDir, "pulumi-language-nodejs")),
      symlink(
        join(pulumiPackage, "pulumi-resource-pulumi-nodejs"),
        join(binDir, "pulumi-resource-pulumi-nodejs"),
      ),
    ]);
    const envVars = {
      // The provider script runs `node`: the one running the tests.
      PATH: [binDir, dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      PULUMI_HOME: join(dir, "home"),
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...extraEnv,
    };
    const pulumiCommand = await PulumiCommand.get({ root: dir });
    const cli = async (args: string[]) => {
      // PULUMI_DEBUG_COMMANDS enables --event-log, as the Automation API does.
      const env = { ...process.env, ...envVars, PULUMI_DEBUG_COMMANDS: "true" };
      const { stdout } = await execFileAsync(join(binDir, "pulumi"), [...args, "--non-interactive"], {
        cwd: workDir,
        env,
      });
      return stdout;
    };
    return { dir, workDir, backendDir, envVars, pulumiCommand, cli, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
