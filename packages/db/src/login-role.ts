// What setup's database steps share: a one-off connection, and a login role kept at exactly the
// attributes and password setup gives it (created the first time, altered every time after, so a
// role an older Gantry made loses what it should no longer have).
import pg from "pg";

export async function withSetupClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "gantry-setup" });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** `attributes`: role options after LOGIN, e.g. "NOSUPERUSER CREATEDB NOCREATEROLE …". */
export async function ensureLoginRole(
  client: pg.Client,
  name: string,
  attributes: string,
  password: string,
): Promise<void> {
  const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]);
  await client.query(
    `${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${client.escapeIdentifier(name)} WITH LOGIN ` +
      `${attributes} PASSWORD ${client.escapeLiteral(password)}`,
  );
}
