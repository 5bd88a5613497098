// pg-database on the real engine: the kind's program through the Automation API, the pulumi CLI
// and the dynamic-provider process, logged in as the engine's role (GANTRY_PG_SERVER_URL) on the test server.
// The steps build on each other (one stack's life), so they run in order.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type EngineEvent,
  LocalWorkspace,
  type OutputMap,
  type Stack,
} from "@pulumi/pulumi/automation/index.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getKind, type PgDatabaseSpec, physicalName, pulumiNames, readDependencies } from "../src/index.ts";
import { createEngineSandbox, type EngineSandbox } from "./support/engine-sandbox.ts";
import { adminQuery, engineServerUrl, testServerUrl } from "./support/test-server.ts";

const TIMEOUT = 180_000;
const ROLE = "pulumi-nodejs:dynamic/postgres:Role";
const DATABASE = "pulumi-nodejs:dynamic/postgres:Database";

const run = randomBytes(4).toString("hex");
const team = `team-${run}`;
const stackName = `db-${run}`;
const name = physicalName(team, stackName);
const quoted = `"${name}"`; // physical names are plain identifiers

let spec: PgDatabaseSpec = { connectionLimit: 5, extensions: ["pgcrypto"] };
let sandbox: EngineSandbox | undefined;
let stack: Stack;
let outputs: OutputMap;

function kind() {
  const found = getKind("pg-database");
  if (!found) throw new Error("pg-database is not registered");
  return found;
}

// Named as Gantry names a pg-database stack's Pulumi project, so stacks can depend on it.
const { projectName } = pulumiNames({ id: `s-${run}`, kind: "pg-database" });

async function openStack(envVars: Record<string, string>): Promise<Stack> {
  if (!sandbox) throw new Error("no engine sandbox");
  const context = {
    stack: { id: `s-${run}`, name: stackName, teamName: team },
    physicalName: name,
    dependencies: [],
  };
  return LocalWorkspace.createOrSelectStack(
    {
      projectName,
      stackName: `s-${run}`,
      program: () => kind().program({ ...context, spec, secretInputs: {} }),
    },
    {
      workDir: sandbox.workDir,
      pulumiCommand: sandbox.pulumiCommand,
      envVars,
      secretsProvider: "passphrase",
      projectSettings: { name: projectName, runtime: "nodejs" },
    },
  );
}

/**
 * Outputs that differ between two states of a resource. A refresh step's metadata in this engine
 * version carries no `diffs` (and an empty `detailedDiff`): drift is the difference of its outputs.
 */
function changedOutputs(old: Record<string, unknown> = {}, now: Record<string, unknown> = {}): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
  return [...keys].filter((key) => JSON.stringify(old[key]) !== JSON.stringify(now[key])).sort();
}

/**
 * Per-resource changes a preview-only refresh reports, as `type op diffs`. Run through the CLI:
 * in this Automation API version `refresh({ previewOnly: true })` also passes `--yes`, which the
 * CLI refuses.
 */
async function driftReport(): Promise<string[]> {
  if (!sandbox) throw new Error("no engine sandbox");
  const eventLog = join(sandbox.dir, `refresh-${randomBytes(4).toString("hex")}.jsonl`);
  await sandbox.cli(["refresh", "--preview-only", "--stack", stack.name, "--event-log", eventLog]);
  const events = (await readFile(eventLog, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngineEvent);
  return events
    .flatMap((event) => (event.resOutputsEvent ? [event.resOutputsEvent.metadata] : []))
    .filter((step) => step.op !== "same")
    .map((step) =>
      `${step.type} ${step.op} ${(step.op === "update" ? changedOutputs(step.old?.outputs, step.new?.outputs) : []).join(",")}`.trim(),
    )
    .sort();
}

async function catalog() {
  const [role] = await adminQuery<{ rolconnlimit: number; rolcanlogin: boolean; scram: boolean }>(
    "SELECT rolconnlimit, rolcanlogin, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = $1",
    [name],
  );
  const [database] = await adminQuery<{ datconnlimit: number; owner: string; acl: string }>(
    "SELECT datconnlimit, pg_get_userbyid(datdba) AS owner, datacl::text AS acl FROM pg_database WHERE datname = $1",
    [name],
  );
  const extensions = database
    ? (await adminQuery<{ extname: string }>("SELECT extname FROM pg_extension ORDER BY 1", [], name)).map(
        (e) => e.extname,
      )
    : [];
  return { role, database, extensions };
}

/** Logs in as the stack's role with the outputs the stack handed out. */
async function loginAsOwner(connectionString: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT current_user AS user, current_database() AS db");
    return rows[0];
  } finally {
    await client.end();
  }
}

async function filesUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, "utf8")))).join("\n");
}

/**
 * Neither the role's password nor the admin URL may be readable in the state: not in what
 * `pulumi stack export` shows (the Automation API's exportStack adds --show-secrets), not in any
 * file of the backend, history included. The password must be an encrypted secret.
 */
async function expectNoSecretsInState() {
  if (!sandbox) throw new Error("no engine sandbox");
  const password = (await stack.outputs()).password?.value as string;
  const forbidden = [
    password,
    ...[engineServerUrl(), testServerUrl()].flatMap((url) => [
      url,
      decodeURIComponent(new URL(url).password),
    ]),
  ].filter(Boolean);
  const exported = await sandbox.cli(["stack", "export", "--stack", stack.name]);
  const onDisk = await filesUnder(sandbox.backendDir);
  for (const text of [exported, onDisk]) {
    expect(text).toContain(name);
    for (const secret of forbidden) expect(text).not.toContain(secret);
  }
  const resources = JSON.parse(exported).deployment.resources as {
    type: string;
    outputs: Record<string, unknown>;
  }[];
  const role = resources.find((resource) => resource.type === ROLE);
  // Pulumi's marker of a secret value, here encrypted.
  expect(role?.outputs.password).toEqual({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    ciphertext: expect.any(String),
  });
}

beforeAll(async () => {
  sandbox = await createEngineSandbox({ GANTRY_PG_SERVER_URL: engineServerUrl() });
  stack = await openStack(sandbox.envVars);
}, TIMEOUT);

afterAll(async () => {
  // Whatever failed, leave nothing behind: the engine destroys what it knows, SQL drops the rest.
  try {
    if (stack && (await stack.workspace.listStacks()).some((s) => s.name === stack.name)) {
      await stack.destroy();
      await stack.workspace.removeStack(stack.name);
    }
  } finally {
    if (process.env.GANTRY_TEST_PG_SERVER_URL) {
      await adminQuery(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      await adminQuery(`DROP ROLE IF EXISTS ${quoted}`);
    }
    await sandbox?.remove();
  }
}, TIMEOUT);

describe("a pg-database stack on the real engine", () => {
  it(
    "creates the role and the database, and hands out working credentials",
    async () => {
      const result = await stack.up();
      expect(result.summary.resourceChanges).toEqual({ create: 3 });
      outputs = result.outputs;
      expect(outputs.username).toEqual({ value: name, secret: false });
      expect(outputs.database).toEqual({ value: name, secret: false });
      expect(outputs.password?.secret).toBe(true);
      expect(outputs.connectionString?.secret).toBe(true);

      const server = new URL(testServerUrl());
      expect(outputs.host?.value).toBe(server.hostname);
      expect(outputs.port?.value).toBe(Number(server.port || 5432));
      const byFields = new URL(`postgresql://${outputs.host?.value}:${outputs.port?.value}`);
      byFields.username = outputs.username?.value;
      byFields.password = outputs.password?.value;
      byFields.pathname = `/${outputs.database?.value}`;
      expect(await loginAsOwner(byFields.toString())).toEqual({ user: name, db: name });
      expect(await loginAsOwner(outputs.connectionString?.value)).toEqual({ user: name, db: name });

      const { role, database, extensions } = await catalog();
      expect(role).toEqual({ rolconnlimit: 5, rolcanlogin: true, scram: true });
      expect(database?.datconnlimit).toBe(5);
      expect(database?.owner).toBe(name);
      // Only the owner may connect: no ACL entry for PUBLIC ("=...").
      expect(database?.acl).not.toMatch(/[{,]=/);
      expect(extensions).toContain("pgcrypto");
    },
    TIMEOUT,
  );

  it(
    "serves its outputs to a dependent stack, secrets still secret",
    async () => {
      if (!sandbox) throw new Error("no engine sandbox");
      const dependency = { id: `s-${run}`, name: stackName, kind: "pg-database" };
      const dependent = await LocalWorkspace.createOrSelectStack(
        {
          projectName: "gantry-dependent-test",
          stackName: `d-${run}`,
          program: async () => {
            const [seen] = await readDependencies([dependency], getKind);
            return { name: seen?.name, kind: seen?.kind, ...seen?.outputs };
          },
        },
        {
          // A workspace of its own: Pulumi.yaml names one project per directory.
          workDir: await mkdtemp(join(sandbox.workDir, "dependent-")),
          pulumiCommand: sandbox.pulumiCommand,
          envVars: sandbox.envVars,
          secretsProvider: "passphrase",
          projectSettings: { name: "gantry-dependent-test", runtime: "nodejs" },
        },
      );
      try {
        const seen = (await dependent.up()).outputs;
        expect(seen.name).toEqual({ value: stackName, secret: false });
        expect(seen.kind).toEqual({ value: "pg-database", secret: false });
        expect(seen.username).toEqual({ value: name, secret: false });
        expect(seen.password).toEqual({ value: outputs.password?.value, secret: true });
        expect(seen.connectionString?.secret).toBe(true);
      } finally {
        await dependent.destroy();
        await dependent.workspace.removeStack(dependent.name);
      }
    },
    TIMEOUT,
  );

  it("keeps the password and the admin URL out of the state", async () => {
    await expectNoSecretsInState();
  });

  it(
    "applies a spec change in place",
    async () => {
      spec = { connectionLimit: 7, extensions: ["citext"] };
      const result = await stack.up();
      expect(result.summary.resourceChanges).toEqual({ update: 2, same: 1 });
      expect(result.outputs.password?.value).toBe(outputs.password?.value);

      const { role, database, extensions } = await catalog();
      expect(role?.rolconnlimit).toBe(7);
      expect(database?.datconnlimit).toBe(7);
      expect(extensions).toContain("citext");
      expect(extensions).not.toContain("pgcrypto");
    },
    TIMEOUT,
  );

  it(
    "reports changes made behind its back, and puts them right",
    async () => {
      await adminQuery(`ALTER DATABASE ${quoted} CONNECTION LIMIT 3`);
      await adminQuery(`ALTER ROLE ${quoted} NOLOGIN`);
      expect(await driftReport()).toEqual([`${DATABASE} update connectionLimit`, `${ROLE} update canLogin`]);
      // A preview-only refresh changes nothing.
      expect((await catalog()).database?.datconnlimit).toBe(3);

      await stack.refresh();
      const result = await stack.up();
      expect(result.summary.resourceChanges).toEqual({ update: 2, same: 1 });
      const { role, database } = await catalog();
      expect(role?.rolcanlogin).toBe(true);
      expect(database?.datconnlimit).toBe(7);
      expect(await driftReport()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "sees a dropped database as gone, and recreates it",
    async () => {
      await adminQuery(`DROP DATABASE ${quoted} WITH (FORCE)`);
      expect(await driftReport()).toEqual([`${DATABASE} delete`]);

      const result = await stack.up({ refresh: true });
      expect(result.summary.resourceChanges?.create).toBe(1);
      expect(await loginAsOwner(result.outputs.connectionString?.value)).toEqual({ user: name, db: name });
      expect((await catalog()).extensions).toContain("citext");
      // Refreshes and updates went through the role's outputs: still encrypted.
      await expectNoSecretsInState();
    },
    TIMEOUT,
  );

  it(
    "refuses to act when the engine is pointed at another server, or at none",
    async () => {
      if (!sandbox) throw new Error("no engine sandbox");
      const previewFailure = async (serverUrl: string) => {
        const misdirected = await openStack({ ...sandbox?.envVars, GANTRY_PG_SERVER_URL: serverUrl });
        return misdirected.preview().then(
          () => "preview succeeded",
          (err: Error) => err.message,
        );
      };
      const elsewhere = await previewFailure("postgres://admin:not-this-one@192.0.2.1:6543/postgres");
      expect(elsewhere).toMatch(
        /GANTRY_PG_SERVER_URL points at 192\.0\.2\.1:6543; moving a database between servers/,
      );
      expect(elsewhere).not.toContain("not-this-one");
      expect(await previewFailure("")).toMatch(/GANTRY_PG_SERVER_URL is not set/);
    },
    TIMEOUT,
  );

  it(
    "drops the database and the role on destroy",
    async () => {
      const result = await stack.destroy();
      expect(result.summary.resourceChanges).toEqual({ delete: 3 });
      await stack.workspace.removeStack(stack.name);
      expect(await adminQuery("SELECT 1 FROM pg_database WHERE datname = $1", [name])).toEqual([]);
      expect(await adminQuery("SELECT 1 FROM pg_roles WHERE rolname = $1", [name])).toEqual([]);
    },
    TIMEOUT,
  );
});
