// A run of an AWS kind on an engine without the aws resource plugin (this machine: offline) fails
// at once, before any engine process starts, naming the plugin, its version and how to install
// it; with the plugin installed, the same settings build the engine's environment.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pluginVersion } from "@gantry/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngineSettings } from "../src/config.ts";
import { engineEnvironment } from "../src/settings.ts";
import { runEngineProcess } from "../src/spawn.ts";
import { installStandInPlugins } from "./support/stand-in-plugins.ts";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "gantry-plugins-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** The engine settings a worker of this data dir gets, with AWS credentials configured. */
function settings(dir = dataDir) {
  return loadEngineSettings({
    ...process.env,
    GANTRY_DATA_DIR: dir,
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIAPLUGINTEST",
    AWS_SECRET_ACCESS_KEY: "plugin-test-secret",
  });
}

describe("an AWS kind without its resource plugin", () => {
  const version = pluginVersion("aws");
  const home = () => join(dataDir, "pulumi-home");
  const expected = () =>
    `the Pulumi aws resource plugin v${version}, which kind "network" needs, is not installed: ` +
    `install it into the engine's Pulumi home with \`PULUMI_HOME=${home()} pulumi plugin install resource aws ${version}\``;

  it("asks for the version the pinned @pulumi/aws asks for", () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("fails its run at once, started nowhere, saying which plugin and how to install it", async () => {
    const request = {
      verb: "up" as const,
      stack: { id: "stack-no-aws-plugin", kind: "network", name: "net", teamName: "platform" },
      spec: {},
      dependencies: [],
    };
    let startedPid: number | undefined;
    const result = await runEngineProcess(request, settings(), { onStarted: (pid) => (startedPid = pid) });
    expect(result.ok).toBe(false);
    expect(result.error?.retryable).toBe(false);
    expect(result.error?.message.startsWith(expected())).toBe(true);
    expect(result.error?.message).toContain(`--file pulumi-resource-aws-v${version}-linux-amd64.tar.gz`);
    expect(result.error?.message).toContain("GANTRY_PLUGIN_DIR");
    expect(startedPid).toBeUndefined();
  });

  it("needs no plugin for pg-database", () => {
    expect(engineEnvironment(settings(), "pg-database").PULUMI_HOME).toBe(home());
  });

  it("builds the environment once the plugin is installed", async () => {
    await installStandInPlugins(home());
    expect(engineEnvironment(settings(), "network").AWS_REGION).toBe("eu-west-1");
  });
});
