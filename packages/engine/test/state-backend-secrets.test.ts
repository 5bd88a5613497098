// A postgres state backend's URL holds its role's password, and `pulumi login` (or an error of the
// CLI) prints the URL: both are engine secrets, removed from everything Gantry stores or returns.
import { redactSecrets } from "@gantry/core";
import { expect, it } from "vitest";
import { loadEngineSettings } from "../src/config.ts";
import { engineSecrets } from "../src/settings.ts";

const backend =
  "postgres://gantry_state:s3cret-state-pw@127.0.0.1:5433/gantry?table=gantry_state.pulumi_state&sslmode=disable";
const env = { GANTRY_DATA_DIR: "/tmp/gantry", PATH: "/bin", PULUMI_CONFIG_PASSPHRASE: "a-passphrase" };

it("counts the backend's URL and password among the engine's secrets", () => {
  const secrets = engineSecrets(loadEngineSettings({ ...env, GANTRY_STATE_BACKEND_URL: backend }));
  expect(secrets).toEqual(expect.arrayContaining([backend, "s3cret-state-pw"]));
  const said = `Logged in to ${backend} (the password was s3cret-state-pw)`;
  expect(redactSecrets(said, secrets)).not.toContain("s3cret-state-pw");
});

it("adds nothing for backends without a password", () => {
  const file = engineSecrets(loadEngineSettings({ ...env, GANTRY_STATE_BACKEND_URL: "file:///tmp/state" }));
  expect(file).toEqual(["a-passphrase"]);
});
