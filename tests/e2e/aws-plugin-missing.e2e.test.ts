// An AWS stack on a Gantry whose engine lacks the aws resource plugin (this machine: offline, no
// GANTRY_PLUGIN_DIR): with credentials configured, the operation fails at once through the real
// API and worker with the message that names the plugin, its version and how to install it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pluginVersion } from "@gantry/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupPluginDir } from "../support/setup-plugins.ts";
import { type Gantry, startGantry } from "./gantry.ts";

const version = pluginVersion("aws");
// Where setup could install the plugin (a download, GANTRY_PLUGIN_DIR), there is nothing to show.
const installed = existsSync(join(setupPluginDir(), `resource-aws-v${version}`));
let gantry: Gantry | undefined;

beforeAll(async () => {
  if (installed) return;
  gantry = await startGantry({
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIAPLUGINMISSING",
    AWS_SECRET_ACCESS_KEY: "plugin-missing-secret",
  });
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
});

describe.skipIf(installed)("an AWS stack without the aws plugin", () => {
  it("fails its first up at once, not retried, saying which plugin and how to install it", async () => {
    if (!gantry) throw new Error("no gantry");
    const created = await gantry.call("POST", "/v1/stacks", { kind: "network", name: "no-plugin", spec: {} });
    expect(created.status).toBe(202);
    const op = await gantry.finished(created.body.operation.id);
    expect(op.status).toBe("failed");
    expect(op.error.retryable).toBe(false);
    expect(op.error.message).toMatch(
      new RegExp(
        `^the Pulumi aws resource plugin v${version.replaceAll(".", "\\.")}, which kind "network" needs, is not installed: `,
      ),
    );
    expect(op.error.message).toContain(`pulumi plugin install resource aws ${version}`);
    expect(op.attempts).toBe(1);
  });
});
