// Moving the stacks of the earlier default state backend (file://<data dir>/state) into Postgres,
// with the real CLI: a pg-database stack with real state (resources, an encrypted secret output)
// is made on the file backend, migrated, and then read, changed and destroyed from Postgres.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureStateSchema } from "@gantry/db/state-store";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dropTeamDatabases } from "../../../tests/support/pg-cleanup.ts";
import { createTestDatabase, type TestDatabase, testRun } from "../../../tests/support/test-database.ts";
import { testStateBackend } from "../../../tests/support/test-state.ts";
import { loadEngineSettings } from "../src/config.ts";
import type { EngineSettings } from "../src/settings.ts";
import { runEngineProcess } from "../src/spawn.ts";
import { fileStateDir, migrateFileState } from "../src/state/file-state-migration.ts";

let gantryDb: TestDatabase;
let dataDir: string;
let onFile: EngineSettings;
let onPostgres: EngineSettings;
const team = `e2e-${testRun()}-${randomBytes(3).toString("hex")}`;
const stack = {
  id: `s-${randomBytes(4).toString("hex")}`,
  kind: "pg-database",
  name: "moved",
  teamName: team,
};

beforeAll(async () => {
  gantryDb = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), "gantry-state-migration-test-"));
  const env = { ...process.env, GANTRY_DATA_DIR: dataDir, DATABASE_URL: gantryDb.url };
  const postgresUrl = await testStateBackend(gantryDb.url, dataDir);
  if (!postgresUrl.startsWith("postgres://")) throw new Error("setup made no postgres state backend");
  await ensureStateSchema(gantryDb.url);
  onFile = loadEngineSettings({ ...env, GANTRY_STATE_BACKEND_URL: `file://${fileStateDir(dataDir)}` });
  onPostgres = loadEngineSettings({ ...env, GANTRY_STATE_BACKEND_URL: postgresUrl });
}, 60_000);

afterAll(async () => {
  await dropTeamDatabases(process.env.GANTRY_PG_SERVER_URL, team);
  await gantryDb?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function stateRows(): Promise<string[]> {
  const client = new pg.Client({ connectionString: gantryDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>("SELECT key FROM gantry_state.pulumi_state");
    return rows.map((row) => row.key);
  } finally {
    await client.end();
  }
}

it("moves a stack's state, secrets included, and keeps the old directory", async () => {
  const up = await runEngineProcess(
    { verb: "up", stack, spec: { connectionLimit: 3 }, dependencies: [] },
    onFile,
  );
  expect(up.error).toBeNull();
  const before = await runEngineProcess({ verb: "outputs", stack, spec: {}, dependencies: [] }, onFile);
  expect(before.outputs?.secretNames).toContain("password");
  const password = before.outputs?.values.password;
  expect(typeof password).toBe("string");

  const first = await migrateFileState(onPostgres, fileStateDir(dataDir));
  expect(first.moved).toHaveLength(1);
  expect(first.keptAt && existsSync(join(first.keptAt, ".pulumi"))).toBe(true);
  expect(existsSync(fileStateDir(dataDir))).toBe(false);
  // The backend keys its entries by the URL's path (the database) and the DIY layout below it.
  expect(await stateRows()).toContain(`${gantryDb.name}/.pulumi/stacks/gantry-pg-database/${stack.id}.json`);

  // Readable from Postgres: the same outputs, the secret decrypted with the same passphrase.
  const after = await runEngineProcess({ verb: "outputs", stack, spec: {}, dependencies: [] }, onPostgres);
  expect(after.error).toBeNull();
  expect(after.outputs).toEqual(before.outputs);
  // The resources came along: an update changes them in place, it creates nothing.
  const update = await runEngineProcess(
    { verb: "up", stack, spec: { connectionLimit: 4 }, dependencies: [] },
    onPostgres,
  );
  expect(update.error).toBeNull();
  expect(update.summary?.create ?? 0).toBe(0);
  expect(update.summary?.update).toBeGreaterThan(0);

  // Idempotent: with the old directory back (say, restored), the stack there already is left alone.
  await rm(fileStateDir(dataDir), { recursive: true, force: true });
  if (first.keptAt) await rename(first.keptAt, fileStateDir(dataDir));
  const second = await migrateFileState(onPostgres, fileStateDir(dataDir));
  expect({ moved: second.moved, present: second.present }).toEqual({ moved: [], present: first.moved });
  expect((await readdir(dataDir)).filter((name) => name.startsWith("state.migrated-"))).toHaveLength(1);
  // Nothing to do once moved.
  expect(await migrateFileState(onPostgres, fileStateDir(dataDir))).toEqual({ moved: [], present: [] });

  const destroy = await runEngineProcess({ verb: "destroy", stack, spec: {}, dependencies: [] }, onPostgres);
  expect(destroy.error).toBeNull();
}, 300_000);
