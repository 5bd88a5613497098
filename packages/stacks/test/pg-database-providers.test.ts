// The pg-database providers called directly (no engine) against the test server, logged in as the
// engine's role (GANTRY_PG_SERVER_URL, setup's gantry_engine): what they do with leftovers of an
// interrupted run, and what they refuse.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { serverIdentity } from "../src/kinds/pg-database/providers/admin-connection.ts";
import { type DatabaseInputs, databaseProvider } from "../src/kinds/pg-database/providers/database.ts";
import { type RoleInputs, roleProvider } from "../src/kinds/pg-database/providers/role.ts";
import { adminQuery, engineServerUrl } from "./support/test-server.ts";

const name = `g_provider_test_${randomBytes(4).toString("hex")}`;
const other = `${name}_other`;
const engineUrl = engineServerUrl();

async function roleInputs(connectionLimit = 4): Promise<RoleInputs> {
  return (await roleProvider.check({}, { name, connectionLimit })).inputs;
}

async function databaseInputs(overrides: Partial<DatabaseInputs> = {}): Promise<DatabaseInputs> {
  const args = { name, owner: name, connectionLimit: 4, extensions: ["citext"], ...overrides };
  return (await databaseProvider.check({}, args)).inputs;
}

async function verifier(role: string): Promise<string | undefined> {
  const rows = await adminQuery<{ rolpassword: string }>(
    "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
    [role],
  );
  return rows[0]?.rolpassword;
}

afterAll(async () => {
  if (!process.env.GANTRY_TEST_PG_SERVER_URL) return;
  for (const database of [name, other])
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  for (const role of [name, other]) await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
});

describe("pg-database providers", () => {
  it("pin resources to the server of the admin URL", async () => {
    expect((await roleInputs()).server).toBe(serverIdentity(engineUrl));
    await expect(
      roleProvider.check({ server: "10.9.8.7:5432" }, { name, connectionLimit: 4 }),
    ).rejects.toThrow(/live on 10\.9\.8\.7:5432, but GANTRY_PG_SERVER_URL points at/);
  });

  it("adopt a role left by an interrupted run, with a new password", async () => {
    const inputs = await roleInputs();
    const first = await roleProvider.create(inputs);
    const before = await verifier(name);
    const second = await roleProvider.create(inputs);
    expect(second.id).toBe(name);
    expect(second.outs?.password).not.toBe(first.outs?.password);
    expect(await verifier(name)).not.toBe(before);
    expect(await verifier(name)).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it("adopt a database owned by the stack's role, and refuse one owned by another", async () => {
    const inputs = await databaseInputs();
    await databaseProvider.create(inputs);
    const again = await databaseProvider.create(inputs);
    expect(again.outs).toMatchObject({ name, owner: name, connectionLimit: 4, extensions: ["citext"] });

    await adminQuery(`CREATE ROLE "${other}"`);
    await adminQuery(`CREATE DATABASE "${other}" OWNER "${other}"`);
    await expect(databaseProvider.create(await databaseInputs({ name: other }))).rejects.toThrow(
      `database ${other} already exists on ${inputs.server} and is not owned by ${name}`,
    );
    expect(await adminQuery("SELECT 1 FROM pg_database WHERE datname = $1", [other])).toHaveLength(1);
  });

  it("refuse to adopt a role Gantry did not create", async () => {
    await expect(roleProvider.create({ ...(await roleInputs()), name: other })).rejects.toThrow(
      `role ${other} exists and is not one Gantry manages`,
    );
  });

  it("manage only the extensions they installed", async () => {
    await adminQuery("CREATE EXTENSION hstore", [], name);
    const inputs = await databaseInputs({ extensions: [] });
    const olds = { ...inputs, extensions: ["citext"], host: "", port: 0 };
    await databaseProvider.update(name, olds, inputs);
    const installed = await adminQuery<{ extname: string }>("SELECT extname FROM pg_extension", [], name);
    expect(installed.map((row) => row.extname)).toContain("hstore");
    expect(installed.map((row) => row.extname)).not.toContain("citext");
    const read = await databaseProvider.read(name, { ...olds, extensions: [] });
    expect(read.props?.extensions).toEqual([]);
  });

  it("leave no database behind when its extensions cannot be installed", async () => {
    await adminQuery(`DROP DATABASE "${other}" WITH (FORCE)`);
    const inputs = await databaseInputs({ name: other, owner: name, extensions: ["plpython3u"] });
    await expect(databaseProvider.create(inputs)).rejects.toThrow(
      '"plpython3u" is not an extension pg-database may install',
    );
    expect(await adminQuery("SELECT 1 FROM pg_database WHERE datname = $1", [other])).toEqual([]);
  });

  it("report a dropped database or role as gone", async () => {
    const database = await databaseInputs();
    const role = await roleInputs();
    await databaseProvider.delete(name, { ...database, host: "", port: 0 });
    await roleProvider.delete(name, { ...role, password: "", canLogin: true });
    expect(await databaseProvider.read(name, { ...database, host: "", port: 0 })).toEqual({ id: "" });
    expect(await roleProvider.read(name, { ...role, password: "", canLogin: true })).toEqual({
      id: "",
    });
  });

  it("refuse names that are not Gantry physical names before any SQL", async () => {
    const inputs = { ...(await roleInputs()), name: 'x"; DROP DATABASE postgres; --' };
    await expect(roleProvider.create(inputs)).rejects.toThrow(/is not a name Gantry manages on Postgres/);
  });
});
