// The engine's own database role. The engine (the pulumi CLI and the pg-database providers) needs
// to create databases and their owner roles on the server pg-database stacks live on, but must
// never hold Gantry's own credentials nor anything near a superuser's: it gets `gantry_engine`,
// which has CREATEDB and nothing else, manages roles only through the role functions
// (role-functions.ts), has no rights on Gantry's tables, and may not even connect to Gantry's
// database. Without CREATEROLE: on Postgres 15 and older that attribute lets a role grant itself
// pg_execute_server_program (a shell as the server's OS user) or any other non-superuser role.
import { ensureLoginRole, withSetupClient } from "../login-role.ts";
import { settleEngineMemberships } from "./memberships.ts";
import { installRoleFunctions } from "./role-functions.ts";

const ENGINE_ROLE = "gantry_engine";
/** Where the engine connects, and so where the role functions live. */
const ENGINE_DATABASE = "postgres";

function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates (or upgrades) the engine role with this password and the role functions, using an admin
 * URL of the server (by default Gantry's own DATABASE_URL), and returns the engine's URL: the role
 * on database `postgres`. Safe to run again and concurrently with itself.
 */
export async function ensureEngineRole(adminUrl: string, password: string): Promise<string> {
  await withSetupClient(adminUrl, async (client) => {
    const role = client.escapeIdentifier(ENGINE_ROLE);
    // NOCREATEROLE also takes it from a role an older Gantry created.
    await ensureLoginRole(
      client,
      ENGINE_ROLE,
      "NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT",
      password,
    );
    // Gantry's tables grant nothing to PUBLIC already; this also keeps the role out of the database.
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    const gantryDb = client.escapeIdentifier(rows[0]?.db ?? "gantry");
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${gantryDb} FROM PUBLIC`);
    await client.query(`REVOKE ALL ON DATABASE ${gantryDb} FROM ${role}`);
  });
  await withSetupClient(onDatabase(adminUrl, ENGINE_DATABASE), async (client) => {
    await client.query("BEGIN");
    try {
      // Setups of several clones may share a server: one at a time replaces the functions.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('gantry_roles: install'))");
      await installRoleFunctions(client, ENGINE_ROLE);
      await settleEngineMemberships(client, ENGINE_ROLE);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    }
  });
  const url = new URL(adminUrl);
  url.username = ENGINE_ROLE;
  url.password = password;
  url.pathname = `/${ENGINE_DATABASE}`;
  return url.toString();
}
