// The engine's own database role. The engine (the pulumi CLI and the pg-database providers) needs an
// admin connection to the server pg-database stacks live on, but must never hold Gantry's own
// credentials: it gets `gantry_engine`, which can create databases and roles and nothing else. It
// has no rights on Gantry's tables, and may not even connect to Gantry's database.
import pg from "pg";

const ENGINE_ROLE = "gantry_engine";

/**
 * Creates (or updates) the engine role with this password, using an admin URL of the server (by
 * default Gantry's own DATABASE_URL), and returns the engine's URL: the role on database `postgres`.
 */
export async function ensureEngineRole(adminUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: "gantry-setup" });
  await client.connect();
  try {
    const role = client.escapeIdentifier(ENGINE_ROLE);
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [ENGINE_ROLE]);
    await client.query(
      `${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${role} WITH LOGIN NOSUPERUSER CREATEDB CREATEROLE ` +
        `NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`,
    );
    // Gantry's tables grant nothing to PUBLIC already; this also keeps the role out of the database.
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    const gantryDb = client.escapeIdentifier(rows[0]?.db ?? "gantry");
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${gantryDb} FROM PUBLIC`);
    await client.query(`REVOKE ALL ON DATABASE ${gantryDb} FROM ${role}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = ENGINE_ROLE;
  url.password = password;
  url.pathname = "/postgres";
  return url.toString();
}
