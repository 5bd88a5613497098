// The engine holds only what a run needs: never Gantry's own database or Redis credentials. Where it
// needs a database (the server behind pg-database) it has the gantry_engine role, which can create
// databases, and roles only through setup's role functions, but cannot read Gantry's tables or even
// connect to Gantry's database (packages/db/test/engine-role.test.ts tries every way up).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listKinds } from "@gantry/stacks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { loadEngineSettings } from "../src/config.ts";
import { engineEnvironment } from "../src/settings.ts";
import { installStandInPlugins } from "./support/stand-in-plugins.ts";

const env = process.env;
let gantryDb: TestDatabase;

beforeAll(async () => {
  gantryDb = await createTestDatabase();
});
afterAll(() => gantryDb?.drop());

function engineUrl(database?: string): string {
  const url = new URL(env.GANTRY_PG_SERVER_URL ?? "");
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

async function asEngine<T>(
  database: string | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: engineUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("the engine's environment", () => {
  it("holds no DATABASE_URL or REDIS_URL value for any kind", async () => {
    const databaseUrl = env.DATABASE_URL ?? "";
    const redisUrl = env.REDIS_URL ?? "";
    const gantryPassword = decodeURIComponent(new URL(databaseUrl).password);
    expect(gantryPassword.length).toBeGreaterThan(0);
    // AWS credentials and an aws plugin too, so the AWS kinds' environments are built rather than refused.
    const dataDir = await mkdtemp(join(tmpdir(), "gantry-engine-env-"));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    await installStandInPlugins(join(dataDir, "pulumi-home"));
    const settings = loadEngineSettings({
      ...env,
      GANTRY_DATA_DIR: dataDir,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "example-secret",
    });
    const kinds = listKinds().map((kind) => kind.name);
    expect(kinds).toContain("pg-database");
    for (const kind of kinds) {
      const engineEnv = engineEnvironment(settings, kind);
      expect(Object.keys(engineEnv), kind).not.toContain("DATABASE_URL");
      expect(Object.keys(engineEnv), kind).not.toContain("REDIS_URL");
      for (const [name, value] of Object.entries(engineEnv)) {
        expect(value, `${kind} ${name}`).not.toContain(databaseUrl);
        expect(value, `${kind} ${name}`).not.toContain(redisUrl);
        expect(value, `${kind} ${name}`).not.toContain(gantryPassword);
      }
    }
    expect(engineEnvironment(settings, "pg-database").GANTRY_PG_SERVER_URL).toBe(env.GANTRY_PG_SERVER_URL);
  });

  it("refuses engine database URLs that log in as Gantry's own user", () => {
    for (const name of ["GANTRY_PG_SERVER_URL", "GANTRY_STATE_BACKEND_URL"]) {
      expect(() => loadEngineSettings({ ...env, [name]: env.DATABASE_URL }), name).toThrow(
        new RegExp(`${name} logs in as Gantry's own database user`),
      );
    }
  });

  it("offers no pg-database at all rather than falling back to Gantry's own URL", () => {
    const { GANTRY_PG_SERVER_URL: _unset, ...rest } = env;
    const settings = loadEngineSettings(rest);
    expect(settings.pgServerUrl).toBeUndefined();
    expect(() => engineEnvironment(settings, "pg-database")).toThrow(/Postgres server URL/);
  });
});

describe("the gantry_engine role", () => {
  it("is not a superuser and is not Gantry's own user", () => {
    expect(new URL(engineUrl()).username).toBe("gantry_engine");
    expect(new URL(env.DATABASE_URL ?? "").username).not.toBe("gantry_engine");
  });

  it("cannot read Gantry's tables", async () => {
    const tables = [
      "api_tokens",
      "stacks",
      "operations",
      "operation_events",
      "outbox",
      "audit_entries",
      "teams",
    ];
    await asEngine(gantryDb.name, async (client) => {
      const { rows } = await client.query<{ rolsuper: boolean }>(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
      );
      expect(rows[0]?.rolsuper).toBe(false);
      for (const table of tables) {
        await expect(client.query(`SELECT * FROM ${table} LIMIT 1`), table).rejects.toMatchObject({
          code: "42501",
        });
        await expect(client.query(`DELETE FROM ${table}`), table).rejects.toMatchObject({ code: "42501" });
      }
    });
  });

  it("cannot connect to Gantry's own database", async () => {
    const gantryDatabase = new URL(env.DATABASE_URL ?? "").pathname.slice(1);
    await expect(asEngine(gantryDatabase, async () => undefined)).rejects.toThrow(
      /permission denied for database/,
    );
  });

  it("can do what pg-database needs: a role, its database, and dropping both", async () => {
    const name = `g_engine_probe_${process.pid}`;
    const verifier = `SCRAM-SHA-256$4096:${"A".repeat(22)}==$${"B".repeat(43)}=:${"C".repeat(43)}=`;
    await asEngine(undefined, async (client) => {
      await client.query("SELECT gantry_roles.create_login($1, $2, 1)", [name, verifier]);
      try {
        await client.query(`CREATE DATABASE ${name} OWNER ${name}`);
        await client.query(`DROP DATABASE ${name}`);
      } finally {
        await client.query("SELECT gantry_roles.drop_login($1)", [name]);
      }
    });
  });
});
