// The engine's database role (setup's gantry_engine) may do what pg-database needs and nothing
// more. Logged in as it, every way up Postgres offers is tried and must be refused; then what
// pg-database does must still work, and setup must upgrade a role left by an older Gantry (one
// with CREATEROLE, and whatever it granted itself) to the same rights. One file, in order: the
// upgrade test hands the engine CREATEROLE for a moment, which the escalation tests must not see.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureEngineRole } from "../src/engine-role/engine-role.ts";

const env = process.env;
const run = `${process.pid}_${randomBytes(3).toString("hex")}`;
/** Made by the server's admin, named like a managed role: the functions must still refuse it. */
const stranger = `g_stranger_${run}`;
/** Made through the functions, as pg-database does. */
const probe = `g_probe_${run}`;
/** A role and a database as an older Gantry's engine left them. */
const legacy = `g_legacy_${run}`;
const legacyOther = `legacy_other_${run}`;
const WRONG_VERIFIER = `SCRAM-SHA-256$4096:${"A".repeat(22)}==$${"B".repeat(43)}=:${"C".repeat(43)}=`;

function url(base: string | undefined, database?: string): string {
  if (!base) throw new Error("run through `npm test`: the setup's URLs are unset");
  const parsed = new URL(base);
  if (database) parsed.pathname = `/${database}`;
  return parsed.toString();
}
const engineUser = () => new URL(url(env.GANTRY_PG_SERVER_URL)).username;
const gantryUser = () => decodeURIComponent(new URL(url(env.DATABASE_URL)).username);
const gantryDatabase = () => new URL(url(env.DATABASE_URL)).pathname.slice(1);

async function connected<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
const asEngine = <T>(work: (client: pg.Client) => Promise<T>, database?: string) =>
  connected(url(env.GANTRY_PG_SERVER_URL, database), work);
async function asAdmin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return connected(
    url(env.GANTRY_TEST_PG_SERVER_URL),
    async (client) => (await client.query<T>(sql, params)).rows,
  );
}

/** Each statement, run as the engine, must fail with `code` (42501: insufficient privilege). */
async function refused(statements: string[], code = "42501", database?: string): Promise<void> {
  await asEngine(async (client) => {
    for (const sql of statements) await expect(client.query(sql), sql).rejects.toMatchObject({ code });
  }, database);
}

async function engineAttributes() {
  const [row] = await asAdmin<Record<string, boolean>>(
    "SELECT rolsuper, rolcreaterole, rolreplication, rolbypassrls, rolcreatedb FROM pg_roles WHERE rolname = $1",
    [engineUser()],
  );
  return row;
}
/** Roles the engine is a member of (directly). */
async function engineMemberships(): Promise<string[]> {
  const rows = await asAdmin<{ role: string }>(
    "SELECT r.rolname AS role FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid " +
      "JOIN pg_roles e ON e.oid = m.member WHERE e.rolname = $1",
    [engineUser()],
  );
  return rows.map((row) => row.role);
}
const verifierOf = async (role: string) =>
  (await asAdmin<{ v: string }>("SELECT rolpassword AS v FROM pg_authid WHERE rolname = $1", [role]))[0]?.v;
const q = (name: string) => `"${name}"`; // names in this file are plain identifiers

afterAll(async () => {
  if (!env.GANTRY_TEST_PG_SERVER_URL) return;
  for (const name of [probe, legacy]) await asAdmin(`DROP DATABASE IF EXISTS ${q(name)} WITH (FORCE)`);
  for (const name of [stranger, probe, legacy, legacyOther]) await asAdmin(`DROP ROLE IF EXISTS ${q(name)}`);
});

describe("the engine's database role cannot escalate", () => {
  it("has no attribute beyond CREATEDB and cannot give itself one", async () => {
    expect(await engineAttributes()).toEqual({
      rolsuper: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      rolcreatedb: true,
    });
    const me = q(engineUser());
    await refused(
      ["SUPERUSER", "CREATEROLE", "BYPASSRLS", "REPLICATION"].map((attr) => `ALTER ROLE ${me} ${attr}`),
    );
    await refused([`CREATE ROLE g_x_${run} SUPERUSER`, `CREATE ROLE g_y_${run} LOGIN`]);
  });

  it("cannot join any predefined role, the functions' owner or Gantry's own role", async () => {
    const predefined = await asAdmin<{ name: string }>(
      // pg_database_owner has no explicit members at all: nobody can be granted it.
      "SELECT rolname AS name FROM pg_roles WHERE rolname LIKE 'pg\\_%' AND rolname <> 'pg_database_owner'",
    );
    const names = predefined.map((row) => row.name);
    expect(names).toContain("pg_execute_server_program");
    const me = q(engineUser());
    await refused([...names, "gantry_role_admin", gantryUser()].map((role) => `GRANT ${q(role)} TO ${me}`));
    await refused(["SET ROLE gantry_role_admin", `SET ROLE ${q(gantryUser())}`]);
  });

  it("cannot run programs or read the server's files", async () => {
    await refused([
      "COPY (SELECT 1) TO PROGRAM 'true'",
      "CREATE TEMP TABLE IF NOT EXISTS loot (line text); COPY loot FROM PROGRAM 'id'",
      "SELECT pg_read_file('/etc/passwd')",
      "COPY (SELECT 1) TO '/tmp/gantry-engine-escalation'",
    ]);
  });

  it("cannot reach Gantry's database or its tables", async () => {
    await expect(asEngine(async () => undefined, gantryDatabase())).rejects.toMatchObject({ code: "42501" });
    // A copy of Gantry's database would hold api_tokens, and one owned by Gantry's role its rights.
    await refused([
      `CREATE DATABASE g_copy_${run} TEMPLATE ${q(gantryDatabase())}`,
      `CREATE DATABASE g_owned_${run} OWNER ${q(gantryUser())}`,
    ]);
    await refused(["SELECT * FROM api_tokens"], "42P01");
  });

  it("cannot use the role functions on a role they did not create", async () => {
    await asAdmin(`CREATE ROLE ${q(stranger)} LOGIN PASSWORD '${WRONG_VERIFIER}'`);
    const before = await verifierOf(stranger);
    const targets = ["postgres", gantryUser(), engineUser(), "gantry_role_admin", stranger];
    await asEngine(async (client) => {
      for (const role of targets) {
        for (const [sql, params] of [
          ["SELECT gantry_roles.create_login($1, $2, 5)", [role, WRONG_VERIFIER]],
          ["SELECT gantry_roles.alter_login($1, 5)", [role]],
          ["SELECT gantry_roles.drop_login($1)", [role]],
        ] as const) {
          await expect(client.query(sql, [...params]), `${sql} ${role}`).rejects.toMatchObject({
            code: expect.stringMatching(/^(42501|22023)$/),
          });
        }
      }
    });
    expect(await verifierOf(stranger)).toBe(before);
    expect(await asAdmin("SELECT 1 FROM pg_roles WHERE rolname = $1", [stranger])).toHaveLength(1);
  });

  it("cannot smuggle SQL or privileges through the functions' arguments", async () => {
    await asEngine(async (client) => {
      const names = [
        `g_x"; ALTER ROLE ${engineUser()} SUPERUSER; --`,
        "G_UPPER",
        "pg_x",
        "g_",
        "x".repeat(64),
      ];
      for (const name of names) {
        await expect(
          client.query("SELECT gantry_roles.create_login($1, $2, 5)", [name, WRONG_VERIFIER]),
          name,
        ).rejects.toMatchObject({ code: "22023" });
      }
      for (const verifier of ["plain-text-password", `x' SUPERUSER '`, `${WRONG_VERIFIER}' SUPERUSER '`]) {
        await expect(
          client.query("SELECT gantry_roles.create_login($1, $2, 5)", [probe, verifier]),
          verifier,
        ).rejects.toMatchObject({ code: "22023" });
      }
      await expect(
        client.query("SELECT gantry_roles.create_login($1, $2, -2)", [probe, WRONG_VERIFIER]),
      ).rejects.toMatchObject({ code: "22023" });
    });
    expect((await engineAttributes())?.rolsuper).toBe(false);
    expect(await asAdmin("SELECT 1 FROM pg_roles WHERE rolname = $1", [probe])).toEqual([]);
  });

  it("cannot change the functions, their registry, or shadow what they read", async () => {
    await refused([
      "CREATE FUNCTION gantry_roles.create_login(text, text, integer) RETURNS void LANGUAGE sql AS ''",
      "ALTER FUNCTION gantry_roles.alter_login(text, integer) SECURITY INVOKER",
      "CREATE TABLE gantry_roles.extra (x int)",
      "SELECT * FROM gantry_roles.managed_roles",
      "INSERT INTO gantry_roles.managed_roles VALUES (10, 'postgres')",
    ]);
    // Unqualified names resolve in pg_temp first unless a function pins its search_path.
    await asEngine(async (client) => {
      await client.query("CREATE TEMP TABLE managed_roles (role_oid oid, role_name name)");
      await client.query("CREATE TEMP VIEW pg_roles AS SELECT * FROM pg_catalog.pg_roles WHERE false");
      await client.query("INSERT INTO managed_roles SELECT oid, rolname FROM pg_catalog.pg_roles");
      await expect(client.query("SELECT gantry_roles.alter_login($1, 1)", [stranger])).rejects.toMatchObject({
        code: "42501",
      });
    });
  });
});

describe("the engine's database role can do what pg-database needs", () => {
  it("a login role through the functions, its database with a trusted extension, and dropping both", async () => {
    await asEngine(async (client) => {
      await client.query("SELECT gantry_roles.create_login($1, $2, 3)", [probe, WRONG_VERIFIER]);
      await client.query(
        `CREATE DATABASE ${q(probe)} OWNER ${q(probe)} TEMPLATE template0 CONNECTION LIMIT 3`,
      );
      await client.query(`REVOKE ALL ON DATABASE ${q(probe)} FROM PUBLIC`);
      await client.query("SELECT gantry_roles.alter_login($1, 7)", [probe]);
      // Only the role functions may change a managed role, even for the engine that is its member.
      await refused([`ALTER ROLE ${q(probe)} SUPERUSER`, `ALTER ROLE ${q(probe)} CREATEROLE`]);
    });
    await asEngine((client) => client.query("CREATE EXTENSION pgcrypto WITH SCHEMA public"), probe);
    const [role] = await asAdmin<Record<string, unknown>>(
      "SELECT rolcanlogin, rolconnlimit, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1",
      [probe],
    );
    expect(role).toEqual({
      rolcanlogin: true,
      rolconnlimit: 7,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
    await asEngine(async (client) => {
      await client.query(`DROP DATABASE ${q(probe)} WITH (FORCE)`);
      await client.query("SELECT gantry_roles.drop_login($1)", [probe]);
      await client.query("SELECT gantry_roles.drop_login($1)", [probe]); // gone already: nothing to do
    });
    expect(await asAdmin("SELECT 1 FROM pg_roles WHERE rolname = $1", [probe])).toEqual([]);
  });

  it("is a member only of the roles the functions manage", async () => {
    const managed = await asAdmin<{ role: string }>(
      "SELECT role_name AS role FROM gantry_roles.managed_roles",
    );
    const allowed = new Set(managed.map((row) => row.role));
    expect((await engineMemberships()).filter((role) => !allowed.has(role))).toEqual([]);
    // Nor through them: no chain of memberships reaches a predefined role or the functions' owner.
    const reached = await asAdmin<{ role: string }>(
      "SELECT rolname AS role FROM pg_roles WHERE (rolname LIKE 'pg\\_%' OR rolname = 'gantry_role_admin') " +
        "AND rolname <> 'pg_database_owner' AND pg_has_role($1, oid, 'MEMBER')",
      [engineUser()],
    );
    expect(reached).toEqual([]);
  });
});

describe("setup upgrades a role an older Gantry left", () => {
  it("takes CREATEROLE and self-granted memberships away, and adopts the roles the engine made", async () => {
    const password = decodeURIComponent(new URL(url(env.GANTRY_PG_SERVER_URL)).password);
    const me = q(engineUser());
    // What the engine could do, and did, with CREATEROLE: its stacks' roles, and worse.
    await asAdmin(`ALTER ROLE ${me} CREATEROLE`);
    await asEngine(async (client) => {
      await client.query(`CREATE ROLE ${q(legacy)} LOGIN CONNECTION LIMIT 2`);
      await client.query(`GRANT ${q(legacy)} TO CURRENT_USER`);
      await client.query(`CREATE DATABASE ${q(legacy)} OWNER ${q(legacy)}`);
      await client.query(`CREATE ROLE ${q(legacyOther)}`);
      await client.query(`GRANT ${q(legacyOther)} TO CURRENT_USER`);
      await client.query(`GRANT pg_execute_server_program TO CURRENT_USER`);
    });
    expect(await engineMemberships()).toContain("pg_execute_server_program");

    await ensureEngineRole(url(env.DATABASE_URL), password);

    expect((await engineAttributes())?.rolcreaterole).toBe(false);
    const memberships = await engineMemberships();
    expect(memberships).toContain(legacy);
    expect(memberships).not.toContain(legacyOther);
    expect(memberships).not.toContain("pg_execute_server_program");
    await asEngine(async (client) => {
      await client.query("SELECT gantry_roles.alter_login($1, 4)", [legacy]);
      await client.query(`DROP DATABASE ${q(legacy)} WITH (FORCE)`);
      await client.query("SELECT gantry_roles.drop_login($1)", [legacy]);
      await expect(client.query("SELECT gantry_roles.drop_login($1)", [legacyOther])).rejects.toMatchObject({
        code: "22023",
      });
    });
    expect(await asAdmin("SELECT 1 FROM pg_roles WHERE rolname = $1", [legacy])).toEqual([]);
  });

  it("is idempotent: a second run changes nothing the engine relies on", async () => {
    const password = decodeURIComponent(new URL(url(env.GANTRY_PG_SERVER_URL)).password);
    const before = await engineMemberships();
    await ensureEngineRole(url(env.DATABASE_URL), password);
    expect((await engineMemberships()).sort()).toEqual(before.sort());
    await asEngine((client) => client.query("SELECT 1"));
  });
});
