// Drops what a team's pg-database stacks left on the Postgres server: a test that leaves a stack
// standing must not leave its database behind, and the bench creates hundreds of databases and
// roles, which destroying each through the engine would take longer than the figure.
import pg from "pg";
import { physicalName } from "../../packages/stacks/src/physical-name.ts";

/**
 * Drops the databases and roles of a team's pg-database stacks (by their physical-name prefix), as
 * the engine's role (`serverUrl`) or an admin.
 */
export async function dropTeamDatabases(serverUrl: string | undefined, teamName: string): Promise<number> {
  if (!serverUrl) throw new Error("no pg-database server configured (GANTRY_PG_SERVER_URL)");
  // physicalName("team", "x") is g_<team>_x_<digest>: the part before the stack name is the prefix.
  const probe = physicalName(teamName, "x");
  const prefix = probe.slice(0, probe.lastIndexOf("_x_") + 1);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const like = `${prefix.replace(/_/g, "\\_")}%`;
    const dbs = await client.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE datname LIKE $1",
      [like],
    );
    for (const { name } of dbs.rows) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const roles = await client.query<{ name: string }>(
      "SELECT rolname AS name FROM pg_roles WHERE rolname LIKE $1",
      [like],
    );
    // The engine's role manages roles only through the role functions (packages/db engine-role).
    for (const { name } of roles.rows) await client.query("SELECT gantry_roles.drop_login($1)", [name]);
    return dbs.rows.length;
  } finally {
    await client.end();
  }
}
