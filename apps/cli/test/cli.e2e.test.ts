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

  it("updates only the stack whose spec changed; logs -f follows it live and ends when it ends", async () => {
    const changed = await stackFile(
      "changed.yaml",
      `kind: pg-database\nname: ${db1}\nspec: {connectionLimit: 7, extensions: [pgcrypto]}`,
      `kind: pg-database\nname: ${db2}`,
    );
    const applied = json(await gantryCli(["apply", "-f", changed, "--no-wait", "-o", "json"]));
    expect(applied.stacks.map((s: { action: string }) => s.action)).toEqual(["update", "unchanged"]);
    const operationId = applied.stacks[0].operation.id;
    expect(applied.stacks[0].operation.status).toMatch(/queued|running/);

    const followed = await gantryCli(["logs", "-f", operationId]);
    // The moment the command ends, the operation has: its end is what ended the stream.
    expect((await gantry.call("GET", `/v1/operations/${operationId}`)).body.status).toBe("succeeded");
    expect(followed.code).toBe(EXIT.ok);
    expect(followed.stdout).toMatch(/^ {2}✓ update \S+ \S+$/m);
    expect(followed.stdout).toMatch(/^summary: .*update/m);
    expect(followed.stderr).toContain(`operation ${operationId} succeeded`);
    expect((await gantry.call("GET", `/v1/stacks/${await stackId(db1)}`)).body.spec.connectionLimit).toBe(7);

    // Afterwards: the stored log as NDJSON, wait returns at once, and the file is applied.
    const [lines, waited, again] = await Promise.all([
      gantryCli(["logs", db1, "-o", "json"]).then((run) => run.stdout.trim().split("\n")),
      gantryCli(["wait", db1]),
      gantryCli(["apply", "-f", changed, "-o", "json"]),
    ]);
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual(lines.map((_, i) => i + 1));
    expect(waited.code).toBe(EXIT.ok);
    expect(waited.stdout).toBe(`up ${operationId} succeeded\n`);
    expect(json(again).stacks.map((s: { action: string }) => s.action)).toEqual(["unchanged", "unchanged"]);
  });

  it("sends a field the file dropped back to its default", async () => {
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

    // A changed dependsOn goes with the patch: the database moves to another network.
    const moved = await stackFile(
      "aws-moved.yaml",
      `kind: rds-database\nname: db-${suffix}\ndependsOn: [net2-${suffix}]\nspec: {engine: postgres, engineVersion: "17"}`,
      `kind: network\nname: net2-${suffix}`,
    );
    const again = await gantryCli(["apply", "-f", moved, "-o", "json"]);
    expect(again.code).toBe(EXIT.operationFailed);
    const actions = JSON.parse(again.stdout).stacks.map((s: { name: string; action: string }) => [
      s.name,
      s.action,
    ]);
    expect(actions).toEqual([
      [`net2-${suffix}`, "create"],
      [`db-${suffix}`, "update"],
    ]);
    const db = (await gantry.call("GET", `/v1/stacks/${await stackId(`db-${suffix}`)}`)).body;
    expect(db.dependsOn.map((d: { name: string }) => d.name)).toEqual([`net2-${suffix}`]);
  });
});

describe("reading stacks", () => {
  it("lists, gets and reveals only for admins", async () => {
    // Independent reads: run at once (each is a process of its own).
    const [listed, table, hidden, shown, revealed, viewer] = await Promise.all([
      gantryCli(["list", "-o", "json", "--kind", "pg-database"]).then(json),
      gantryCli(["list"]),
      gantryCli(["get", db1, "-o", "json"]).then(json),
      gantryCli(["get", db1]),
      gantryCli(["get", db1, "--reveal", "-o", "json"]).then(json),
      gantryCli(["get", db1, "--reveal"], gantry.viewerToken),
    ]);
    expect(listed.stacks.map((s: { name: string; status: string }) => [s.name, s.status]).sort()).toEqual([
      [db1, "ready"],
      [db2, "ready"],
    ]);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+KIND\s+STATUS\s+PROTECTED\s+DRIFT/);
    expect(hidden.outputs.password).toBe("[secret]");
    expect(hidden.protected).toBe(false);
    expect(shown.stdout).toMatch(/^protected\s+no$/m);
    expect(shown.stdout).toMatch(/password: "?\[secret\]/);
    expect(revealed.outputs.password).not.toBe("[secret]");
    expect(revealed.outputs.password.length).toBeGreaterThan(8);
    expect(shown.stdout).not.toContain(revealed.outputs.password);
    expect(viewer.code).toBe(EXIT.auth);
    expect(viewer.stdout).not.toContain(revealed.outputs.password);
  });

  it("previews a file's change without applying it", async () => {
    const file = await stackFile(
      "preview.yaml",
      `kind: pg-database\nname: ${db1}\nspec: {connectionLimit: 9, extensions: [pgcrypto]}`,
    );
    const table = await gantryCli(["preview", "-f", file]);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toMatch(
      new RegExp(`^${db1}\\s+update\\s+\\S+\\s+\\S+\\s+.*connectionLimit: 20 → 9`, "m"),
    );
    expect((await gantry.call("GET", `/v1/stacks/${await stackId(db1)}`)).body.spec.connectionLimit).toBe(20);
  });
});

describe("drift", () => {
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
    const runs = await Promise.all([
      gantryCli(["get", `nosuch-${suffix}`]),
      gantryCli(["logs", "00000000-0000-4000-8000-000000000000"]),
      gantryCli(["kinds", "nosuch"]),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(EXIT.notFound);
      expect(run.stderr).toMatch(/^gantry: /);
    }
  });

  it("2 for bad usage and invalid files, which change nothing", async () => {
    const [broken, unknownKind, invalid] = await Promise.all([
      stackFile("broken.yaml", "kind: pg-database\nname: [oops"),
      stackFile(
        "unknown.yaml",
        `kind: pg-database\nname: ok-${suffix}`,
        `kind: mainframe\nname: mf-${suffix}`,
      ),
      stackFile("invalid.yaml", `kind: pg-database\nname: bad-${suffix}\nspec: {connectionLimit: many}`),
    ]);
    const [noFile, badTimeout, badFormat, unparsable, refused, rejected] = await Promise.all([
      gantryCli(["apply"]),
      gantryCli(["wait", db1, "--timeout", "soon"]),
      gantryCli(["list", "-o", "yaml"]),
      gantryCli(["apply", "-f", broken]),
      gantryCli(["apply", "-f", unknownKind]),
      gantryCli(["apply", "-f", invalid]),
    ]);
    for (const run of [noFile, badTimeout, badFormat, unparsable, refused, rejected]) {
      expect(run.code, run.stderr).toBe(EXIT.usage);
    }
    expect(unparsable.stderr).toMatch(/broken\.yaml#1: not valid YAML/);
    expect(refused.stderr).toMatch(/unknown\.yaml#2: unknown kind "mainframe"/);
    expect(rejected.stderr).toMatch(/spec\.connectionLimit/);
    const names = (await gantry.call("GET", "/v1/stacks?limit=100")).body.stacks.map(
      (s: { name: string }) => s.name,
    );
    expect(names).not.toContain(`ok-${suffix}`);
    expect(names).not.toContain(`bad-${suffix}`);
  });

  it("4 without a valid token or the role, 7 when the API cannot be reached", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const [badToken, noToken, notAdmin, down] = await Promise.all([
      gantryCli(["list"], "gnt_not-a-token"),
      gantryCli(["list"], ""),
      gantryCli(["destroy", db1], gantry.operatorToken),
      runCli(["list"], { url: closed, token: gantry.adminToken, configHome: join(dir, "config") }),
    ]);
    for (const run of [badToken, noToken, notAdmin]) expect(run.code, run.stderr).toBe(EXIT.auth);
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

describe("gantry protect", () => {
  it("marks stacks protected and back (admins only)", async () => {
    const isProtected = async () =>
      json(await gantryCli(["get", db2, "-o", "json"], gantry.viewerToken)).protected;
    const protect = await gantryCli(["protect", db2]);
    expect(protect.code).toBe(EXIT.ok);
    expect(protect.stdout).toMatch(new RegExp(`^${db2}\\s+yes$`, "m"));
    expect(await isProtected()).toBe(true);
    expect((await gantryCli(["unprotect", db2], gantry.viewerToken)).code).toBe(EXIT.auth);
    const unprotect = json(await gantryCli(["unprotect", db2, "-o", "json"]));
    expect(unprotect.stacks.map((s: { name: string; protected: boolean }) => [s.name, s.protected])).toEqual([
      [db2, false],
    ]);
    expect(await isProtected()).toBe(false);
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
