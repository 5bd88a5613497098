// The API process loads no Pulumi code (README, Performance): it validates specs with the kinds'
// spec side (@gantry/stacks/specs), and only engine processes load programs. The real API process
// starts with a hook that reports every @pulumi/* module it resolves, serves requests that touch
// the kinds (listing, creating, an invalid spec), and must have reported none.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, type GantryProcess, ROOT, startApi } from "../../../tests/e2e/processes.ts";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";

const HOOK = fileURLToPath(new URL("./support/report-pulumi-loads.mjs", import.meta.url));
const REPORTED = /pulumi module loaded: (\S+)/;
const hooked = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${HOOK}`.trim() };

describe("the API process and Pulumi", () => {
  let database: TestDatabase;
  let api: GantryProcess | undefined;
  let baseUrl = "";
  let token = "";

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, LOG_LEVEL: "info" };
    const started = await startApi({ ...env, ...hooked });
    api = started;
    baseUrl = started.baseUrl;
    token = await createToken(env, { team: "no-pulumi", role: "operator" });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  const call = async (method: string, path: string, payload?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload ? { "content-type": "application/json" } : {}),
      },
      body: payload ? JSON.stringify(payload) : undefined,
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
    const body: any = await response.json();
    return { status: response.status, body };
  };

  it("starts, lists kinds and validates specs without loading @pulumi/*", async () => {
    const kinds = await call("GET", "/v1/kinds");
    expect(kinds.status).toBe(200);
    expect(kinds.body.kinds.map((k: { name: string }) => k.name)).toContain("eks-cluster");
    const created = await call("POST", "/v1/stacks", { kind: "pg-database", name: "no-pulumi", spec: {} });
    expect(created.status).toBe(202);
    const invalid = await call("POST", "/v1/stacks", {
      kind: "eks-cluster",
      name: "bad-cluster",
      spec: { kubernetesVersion: "0.1" },
    });
    expect(invalid.status).toBe(422);
    const changed = await call("PATCH", `/v1/stacks/${created.body.stack.id}`, {
      spec: { connectionLimit: 5 },
    });
    expect(changed.status).toBe(202);
    expect(api?.output().match(REPORTED)?.[1]).toBeUndefined();
  });

  it("would see a Pulumi load: the engine's entry to the kinds loads @pulumi/pulumi", () => {
    // The control: the same hook in a process that imports the kinds with their programs.
    const control = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'await import("@gantry/stacks");'],
      { cwd: ROOT, env: { ...process.env, ...hooked }, encoding: "utf8" },
    );
    expect(control.status).toBe(0);
    expect(control.stderr).toMatch(/pulumi module loaded: \S+@pulumi\/pulumi\//);
  });
});
