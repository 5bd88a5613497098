// Where the engine keeps Pulumi's state by default: Pulumi's DIY Postgres backend, in a schema of
// its own (`gantry_state`) in Gantry's database, so every worker on any machine reaches it and the
// database's backups hold it beside the stacks it belongs to. It is reached with a role of its own,
// `gantry_state`, that may read and write that one table and nothing else: the engine (which gets
// this URL) must hold no rights on Gantry's tables. The role may connect to Gantry's database, where
// it sees the catalog (table names) as every role does, but none of the tables' rows.
import { ensureLoginRole, withSetupClient } from "../login-role.ts";

export const STATE_ROLE = "gantry_state";
export const STATE_SCHEMA = "gantry_state";
/**
 * Schema-qualified, so the backend never depends on a search_path. The CLI creates its table only
 * when it is missing (and could not here: the role may not create, and Pulumi's index name would
 * not take the schema), so the table is made here, with the columns of the backend's schema.sql.
 */
export const STATE_TABLE = `${STATE_SCHEMA}.pulumi_state`;

/**
 * Creates (or updates) the state role with this password on the server of `adminUrl`, and its
 * schema and table in `adminUrl`'s database; returns the backend URL (the role on that database).
 */
export async function ensureStateStore(adminUrl: string, password: string): Promise<string> {
  await withSetupClient(adminUrl, (client) =>
    ensureLoginRole(
      client,
      STATE_ROLE,
      "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
      password,
    ),
  );
  await ensureStateSchema(adminUrl);
  return stateBackendUrl(adminUrl, password);
}

/**
 * The state schema and table in `adminUrl`'s database, usable by the (existing) state role only.
 * Apart from the role, so a database of its own (each test's) gets them without touching the role.
 */
export async function ensureStateSchema(adminUrl: string): Promise<void> {
  await withSetupClient(adminUrl, async (client) => {
    const role = client.escapeIdentifier(STATE_ROLE);
    const schema = client.escapeIdentifier(STATE_SCHEMA);
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    const database = client.escapeIdentifier(rows[0]?.db ?? "gantry");
    // Owned by the admin: the role uses the table, it does not own (or alter, or drop) it.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (key TEXT PRIMARY KEY, data JSON NOT NULL, ` +
        "updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())",
    );
    await client.query(
      `CREATE INDEX IF NOT EXISTS pulumi_state_key_prefix_idx ON ${STATE_TABLE} (key text_pattern_ops)`,
    );
    await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
    await client.query(`REVOKE ALL ON ${STATE_TABLE} FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${STATE_TABLE} TO ${role}`);
    await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
  });
}

/**
 * The backend URL for the state role on `adminUrl`'s server and database. The CLI knows the
 * `postgres` scheme only (not `postgresql`), and its driver requires TLS unless told otherwise:
 * the admin URL's sslmode is kept, and without one TLS is off (a local server has none).
 */
export function stateBackendUrl(adminUrl: string, password: string): string {
  const admin = new URL(adminUrl);
  const url = new URL(`postgres://${admin.host}${admin.pathname}`);
  url.username = STATE_ROLE;
  url.password = password;
  url.searchParams.set("table", STATE_TABLE);
  url.searchParams.set("sslmode", admin.searchParams.get("sslmode") ?? "disable");
  return url.toString();
}
