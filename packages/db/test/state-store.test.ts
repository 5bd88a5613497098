// The state backend's role (gantry_state) reads and writes Pulumi's state table and nothing else:
// the engine, which holds its URL, must have no rights on Gantry's tables.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import {
  ensureStateSchema,
  STATE_ROLE,
  STATE_TABLE,
  stateBackendUrl,
} from "../src/state-store/state-store.ts";

let gantryDb: TestDatabase;
let state: pg.Client;

beforeAll(async () => {
  const configured = process.env.GANTRY_STATE_BACKEND_URL ?? "";
  if (!configured.startsWith("postgres://")) throw new Error("setup made no postgres state backend");
  gantryDb = await createTestDatabase();
  await ensureStateSchema(gantryDb.url);
  // Twice: setup runs it on every start.
  await ensureStateSchema(gantryDb.url);
  const url = new URL(gantryDb.url);
  url.username = STATE_ROLE;
  url.password = new URL(configured).password;
  state = new pg.Client({ connectionString: url.toString() });
  await state.connect();
});

afterAll(async () => {
  await state?.end();
  await gantryDb?.drop();
});

it("reads and writes the state table", async () => {
  await state.query(`INSERT INTO ${STATE_TABLE} (key, data) VALUES ('.pulumi/x', '{"data":""}')`);
  await state.query(`UPDATE ${STATE_TABLE} SET updated_at = now() WHERE key = '.pulumi/x'`);
  const { rows } = await state.query(`SELECT key FROM ${STATE_TABLE}`);
  expect(rows).toEqual([{ key: ".pulumi/x" }]);
  await state.query(`DELETE FROM ${STATE_TABLE} WHERE key = '.pulumi/x'`);
});

it("has no rights on Gantry's tables, and can create or drop nothing", async () => {
  for (const sql of [
    "SELECT * FROM api_tokens",
    "SELECT * FROM stacks",
    "INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'x')",
    "CREATE TABLE public.x (id int)",
    "CREATE TABLE gantry_state.x (id int)",
    `DROP TABLE ${STATE_TABLE}`,
    `TRUNCATE ${STATE_TABLE}`,
  ]) {
    await expect(state.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
  }
});

it("gives the CLI a postgres:// URL on that database and table, without TLS on a local server", () => {
  const url = new URL(stateBackendUrl("postgresql://admin:pw@127.0.0.1:5433/gantry", "s3cret"));
  expect(url.protocol).toBe("postgres:");
  expect(url.username).toBe(STATE_ROLE);
  expect(url.pathname).toBe("/gantry");
  expect(Object.fromEntries(url.searchParams)).toEqual({ table: STATE_TABLE, sslmode: "disable" });
  const tls = new URL(stateBackendUrl("postgresql://a:b@db.internal/gantry?sslmode=verify-full", "s"));
  expect(tls.searchParams.get("sslmode")).toBe("verify-full");
});
