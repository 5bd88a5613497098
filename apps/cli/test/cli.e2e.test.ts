// The gantry CLI end to end: its bin against the real API and worker, the real engine and the
// pg-database kind. apply is declarative and idempotent, logs -f ends with the operation, and the
// exit codes tell scripts what happened.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gantry, startGantry } from "../../../tests/e2e/gantry.ts";
import { freePort } from "../../../tests/e2e/processes.ts";
import { EXIT } from "../src/exit-codes.ts";
import { type CliRun, runCli } from "./cli-process.ts";

// No AWS credential source at all, whatever this machine has: AWS stacks fail at once.
const NO_AWS = {
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_PROFILE: "",
  AWS_ROLE_ARN: "",
  AWS_WEB_IDENTITY_TOKEN_FILE: "",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
  AWS_CONFIG_FILE: "/nonexistent/gantry-cli/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/gantry-cli/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};

let gantry: Gantry;
let dir: string;
const suffix = randomBytes(3).toString("hex");
const db1 = `cli-a-${suffix}`;
const db2 = `cli-b-${suffix}`;

beforeAll(async () => {
  [gantry, dir] = await Promise.all([startGantry(NO_AWS), mkdtemp(join(tmpdir(), "gantry-cli-"))]);
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The CLI as the team's admin (or another token). */
const gantryCli = (args: string[], token: string | undefined = gantry.adminToken) =>
  runCli(args, { url: gantry.baseUrl, token, configHome: join(dir, "config") });

async function stackFile(name: string, ...docs: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, docs.join("\n---\n"));
  return path;
}

function json(run: CliRun) {
  expect(run.stderr, "the command failed").not.toMatch(/^gantry:/m);
  expect(run.code).toBe(EXIT.ok);
  return JSON.parse(run.stdout);
}

const stackId = async (name: string): Promise<string> =>
  (await gantry.call("GET", "/v1/stacks?limit=100")).body.stacks.find(
    (s: { name: string }) => s.name === name,
  ).id;
const operationCount = async (name: string): Promise<number> =>
  (await gantry.call("GET", `/v1/stacks/${await stackId(name)}/operations?limit=100`)).body.operations.length;

describe("gantry apply", () => {
  it("creates the stacks of a file and waits until they are ready", async () => {
    const file = await stackFile(
      "stacks.yaml",
      `kind: pg-database\nname: ${db1}\nspec:\n  connectionLimit: 5\n  extensions: [pgcrypto]`,
      `kind: pg-database\nname: ${db2}`,
    );
    const result = json(await gantryCli(["apply", "-f", file, "-o", "json"]));
    expect(result.stacks.map((s: { name: string; action: string }) => [s.name, s.action])).toEqual([
      [db1, "create"],
      [db2, "create"],
    ]);
    for (const s of result.stacks) expect(s.operation.status).toBe("succeeded");
  });

  it("changes nothing when applied again: no request, no operation", async () => {
    const before = [await operationCount(db1), await operationCount(db2)];
    const run = await gantryCli(["apply", "-f", join(dir, "stacks.yaml")]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toMatch(new RegExp(`${db1}\\s+pg-database\\s+unchanged`));
    expect(run.stdout).toMatch(new RegExp(`${db2}\\s+pg-database\\s+unchanged`));
    expect([await operationCount(db1), await operationCount(db2)]).toEqual(before);
  });

  it("updates only the stack whose spec changed, and a dropped field goes back to its default", async () => {
    const changed = await stackFile(
      "changed.yaml",
      `kind: pg-database\nname: ${db1}\nspec: {connectionLimit: 7, extensions: [pgcrypto]}`,
      `kind: pg-database\nname: ${db2}`,
    );
    const first = json(await gantryCli(["apply", "-f", changed, "-o", "json"]));
    expect(first.stacks.map((s: { action: string }) => s.action)).toEqual(["update", "unchanged"]);
    expect(first.stacks[0].operation.status).toBe("succeeded");
    expect((await gantry.call("GET", `/v1/stacks/${await stackId(db1)}`)).body.spec.connectionLimit).toBe(7);

    const dropped = await stackFile(
      "dropped.yaml",
      `kind: pg-database\nname: ${db1}\nspec: {extensions: [pgcrypto]}`,
    );
    expect(json(await gantryCli(["apply", "-f", dropped, "-o", "json"])).stacks[0].action).toBe("update");
    expect((await gantry.call("GET", `/v1/stacks/${await stackId(db1)}`)).body.spec.connectionLimit).toBe(20);
    expect(json(await gantryCli(["apply", "-f", dropped, "-o", "json"])).stacks[0].action).toBe("unchanged");
  });

  it("creates dependencies first and exits 1 when an operation fails", async () => {
    // The database is written first but depends on the network: apply creates the network first
    // (the API would refuse a dependency that does not exist yet). Without AWS both fail.
    const file = await stackFile(
      "aws.yaml",
      `kind: rds-database\nname: db-${suffix}\ndependsOn: [net-${suffix}]\nspec: {engine: postgres, engineVersion: "17"}`,
      `kind: network\nname: net-${suffix}`,
    );
    const run = await gantryCli(["apply", "-f", file, "-o", "json"]);
    expect(run.code).toBe(EXIT.operationFailed);
    const result = JSON.parse(run.stdout);
    expect(result.stacks.map((s: { name: string }) => s.name)).toEqual([`net-${suffix}`, `db-${suffix}`]);
    expect(result.stacks.map((s: { operation: { status: string } }) => s.operation.status)).toEqual([
      "failed",
      "failed",
    ]);
    expect(run.stderr).toMatch(/^gantry: up .* failed: /m);
  });
});

describe("reading stacks", () => {
  it("lists, gets and reveals only for admins", async () => {
    const listed = json(await gantryCli(["list", "-o", "json", "--kind", "pg-database"]));
    expect(listed.stacks.map((s: { name: string; status: string }) => [s.name, s.status]).sort()).toEqual([
      [db1, "ready"],
      [db2, "ready"],
    ]);
    const table = await gantryCli(["list"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+KIND\s+STATUS\s+DRIFT/);

    const hidden = json(await gantryCli(["get", db1, "-o", "json"]));
    expect(hidden.outputs.password).toBe("[secret]");
    const shown = await gantryCli(["get", db1]);
    expect(shown.stdout).toMatch(/password: "?\[secret\]/);
    const revealed = json(await gantryCli(["get", db1, "--reveal", "-o", "json"]));
    expect(revealed.outputs.password).not.toBe("[secret]");
    expect(revealed.outputs.password.length).toBeGreaterThan(8);
    expect(shown.stdout).not.toContain(revealed.outputs.password);
    const viewer = await gantryCli(["get", db1, "--reveal"], gantry.viewerToken);
    expect(viewer.code).toBe(EXIT.auth);
    expect(viewer.stdout).not.toContain(revealed.outputs.password);
  });

  it("previews a file's change without applying it", async () => {
    const file = await stackFile(
      "preview.yaml",
      `kind: pg-database\nname: ${db1}\nspec: {connectionLimit: 9, extensions: [pgcrypto]}`,
    );
    const result = json(await gantryCli(["preview", "-f", file, "-o", "json"]));
    const [entry] = result.previews;
    expect(entry.operation.status).toBe("succeeded");
    expect(entry.operation.diff.map((d: { op: string }) => d.op)).toContain("update");
    const table = await gantryCli(["preview", "-f", file]);
    expect(table.stdout).toMatch(/connectionLimit.*20 → 9/);
    expect((await gantry.call("GET", `/v1/stacks/${await stackId(db1)}`)).body.spec.connectionLimit).toBe(20);
  });
});

describe("following operations", () => {
  it("logs -f prints the log live and ends when the operation ends", async () => {
    const file = await stackFile("logs.yaml", `kind: pg-database\nname: ${db2}\nspec: {connectionLimit: 3}`);
    const applied = json(await gantryCli(["apply", "-f", file, "--no-wait", "-o", "json"]));
    const operationId = applied.stacks[0].operation.id;
    expect(applied.stacks[0].operation.status).toMatch(/queued|running/);

    const followed = await gantryCli(["logs", "-f", operationId]);
    // The moment the command ends, the operation has: its end is what ended the stream.
    const op = (await gantry.call("GET", `/v1/operations/${operationId}`)).body;
    expect(op.status).toBe("succeeded");
    expect(followed.code).toBe(EXIT.ok);
    expect(followed.stdout).toMatch(/^ {2}✓ update \S+ \S+$/m);
    expect(followed.stdout).toMatch(/^summary: .*1 update/m);
    expect(followed.stderr).toContain(`operation ${operationId} succeeded`);

    // Afterwards: the stored log as NDJSON, and wait returns at once.
    const lines = (await gantryCli(["logs", db2, "-o", "json"])).stdout.trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual(lines.map((_, i) => i + 1));
    const waited = await gantryCli(["wait", db2]);
    expect(waited.code).toBe(EXIT.ok);
    expect(waited.stdout).toBe(`up ${operationId} succeeded\n`);
  });

  it("reports drift, after a check when asked", async () => {
    const fleet = json(await gantryCli(["drift", "-o", "json"]));
    expect(Object.keys(fleet.counts).sort()).toEqual(["drifted", "error", "in_sync", "unknown"]);
    const checked = json(await gantryCli(["drift", db1, "--check", "--exit-code", "-o", "json"]));
    expect(checked.driftStatus).toBe("in_sync");
    expect(checked.latest.status).toBe("in_sync");
  });
});

describe("exit codes", () => {
  it("3 for what does not exist", async () => {
    for (const args of [
      ["get", `nosuch-${suffix}`],
      ["logs", "00000000-0000-4000-8000-000000000000"],
      ["kinds", "nosuch"],
    ]) {
      const run = await gantryCli(args);
      expect(run.code, args.join(" ")).toBe(EXIT.notFound);
      expect(run.stderr).toMatch(/^gantry: /);
    }
  });

  it("2 for bad usage and invalid files, which change nothing", async () => {
    expect((await gantryCli(["apply"])).code).toBe(EXIT.usage);
    expect((await gantryCli(["wait", db1, "--timeout", "soon"])).code).toBe(EXIT.usage);
    expect((await gantryCli(["list", "-o", "yaml"])).code).toBe(EXIT.usage);
    const broken = await stackFile("broken.yaml", "kind: pg-database\nname: [oops");
    expect((await gantryCli(["apply", "-f", broken])).stderr).toMatch(/broken\.yaml#1: not valid YAML/);
    const unknownKind = await stackFile(
      "unknown.yaml",
      `kind: pg-database\nname: ok-${suffix}`,
      `kind: mainframe\nname: mf-${suffix}`,
    );
    const refused = await gantryCli(["apply", "-f", unknownKind]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/unknown\.yaml#2: unknown kind "mainframe"/);
    const invalid = await stackFile(
      "invalid.yaml",
      `kind: pg-database\nname: bad-${suffix}\nspec: {connectionLimit: many}`,
    );
    const rejected = await gantryCli(["apply", "-f", invalid]);
    expect(rejected.code).toBe(EXIT.usage);
    expect(rejected.stderr).toMatch(/spec\.connectionLimit/);
    const names = (await gantry.call("GET", "/v1/stacks?limit=100")).body.stacks.map(
      (s: { name: string }) => s.name,
    );
    expect(names).not.toContain(`ok-${suffix}`);
    expect(names).not.toContain(`bad-${suffix}`);
  });

  it("4 without a valid token or the role, 7 when the API cannot be reached", async () => {
    expect((await gantryCli(["list"], "gnt_not-a-token")).code).toBe(EXIT.auth);
    expect((await gantryCli(["list"], "")).code).toBe(EXIT.auth);
    expect((await gantryCli(["destroy", db1], gantry.operatorToken)).code).toBe(EXIT.auth);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await runCli(["list"], {
      url: closed,
      token: gantry.adminToken,
      configHome: join(dir, "config"),
    });
    expect(down.code).toBe(EXIT.unavailable);
    expect(down.stderr).toMatch(/cannot reach the Gantry API/);
  });
});

describe("configuration", () => {
  it("reads the config file; the environment wins over it", async () => {
    const configHome = join(dir, "file-config");
    await mkdir(join(configHome, "gantry"), { recursive: true });
    await writeFile(
      join(configHome, "gantry", "config.json"),
      JSON.stringify({ url: gantry.baseUrl, token: gantry.viewerToken }),
    );
    expect((await runCli(["list", "-o", "json"], { configHome })).code).toBe(EXIT.ok);
    expect((await runCli(["list"], { configHome, token: "gnt_not-a-token" })).code).toBe(EXIT.auth);
  });

  it("is linked at the checkout's root: npx gantry", async () => {
    const run = await runCli(
      ["kinds", "-o", "json"],
      { url: gantry.baseUrl, token: gantry.viewerToken, configHome: dir },
      ["npx", "--no-install", "gantry"],
    );
    expect(run.code).toBe(EXIT.ok);
    expect(JSON.parse(run.stdout).kinds.map((k: { name: string }) => k.name)).toContain("pg-database");
  });
});

describe("gantry destroy", () => {
  it("deletes stacks and waits until they are gone", async () => {
    const result = json(await gantryCli(["destroy", db1, db2, "-o", "json"]));
    expect(result.operations.map((op: { status: string }) => op.status)).toEqual(["succeeded", "succeeded"]);
    const listed = json(await gantryCli(["list", "-o", "json", "--kind", "pg-database"]));
    expect(listed.stacks.filter((s: { status: string }) => s.status !== "destroyed")).toEqual([]);
  });
});
