// The database: owned by the stack's role, with a connection limit and extensions.
import * as pulumi from "@pulumi/pulumi";
import { checkedExtension, checkedLimit, checkedName, endpoint, withAdmin } from "./admin-connection.ts";
import { pinnedServer } from "./server-check.ts";

/** What the program sets. */
export interface DatabaseArgs {
  name: string;
  owner: string;
  connectionLimit: number;
  extensions: string[];
  /** Blueprint v2: a comment on the database naming who owns it; absent: none. */
  comment?: string | undefined;
}
/** After `check`: pinned to a server (`host:port`), extensions sorted. */
export interface DatabaseInputs extends DatabaseArgs {
  server: string;
}
export interface DatabaseOutputs extends DatabaseInputs {
  host: string;
  port: number;
}

/**
 * Installs `wanted` and drops those of `managed` (the extensions this resource installed before)
 * no longer wanted. Extensions the owner installed itself are not Gantry's and stay.
 */
async function syncExtensions(
  server: string,
  database: string,
  wanted: string[],
  managed: string[],
): Promise<void> {
  await withAdmin(server, database, async (client) => {
    for (const extension of wanted) {
      await client.query(
        `CREATE EXTENSION IF NOT EXISTS ${client.escapeIdentifier(checkedExtension(extension))} WITH SCHEMA public`,
      );
    }
    for (const extension of managed.filter((name) => !wanted.includes(name))) {
      // No CASCADE: Postgres refuses while the owner's objects use the extension, and says which.
      await client.query(`DROP EXTENSION IF EXISTS ${client.escapeIdentifier(checkedExtension(extension))}`);
    }
  });
}

/** COMMENT ON DATABASE takes no parameters: the literal is escaped by the driver. */
function commentStatement(
  client: { escapeLiteral(value: string): string },
  database: string,
  comment: string | undefined,
): string {
  return `COMMENT ON DATABASE ${database} IS ${comment === undefined ? "NULL" : client.escapeLiteral(comment)}`;
}

export const databaseProvider = {
  async check(olds: Partial<DatabaseInputs>, news: DatabaseArgs) {
    const extensions = [...new Set(news.extensions)].sort();
    return { inputs: { ...news, extensions, server: pinnedServer(olds.server) } };
  },

  async diff(_id, olds, news) {
    const replaces = olds.server !== news.server || olds.name !== news.name ? ["server", "name"] : [];
    const changes =
      replaces.length > 0 ||
      olds.owner !== news.owner ||
      olds.connectionLimit !== news.connectionLimit ||
      (olds.extensions ?? []).join() !== news.extensions.join() ||
      (olds.comment ?? null) !== (news.comment ?? null);
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const name = checkedName(inputs.name);
    const owner = checkedName(inputs.owner);
    const limit = checkedLimit(inputs.connectionLimit);
    const created = await withAdmin(inputs.server, undefined, async (client) => {
      const database = client.escapeIdentifier(name);
      const { rows } = await client.query<{ owner: string }>(
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
        [name],
      );
      const existing = rows[0];
      // Like the role, a database of this name was left by an interrupted run of this stack; it is
      // adopted only if it belongs to the stack's role.
      if (existing && existing.owner !== owner) {
        throw new Error(`database ${name} already exists on ${inputs.server} and is not owned by ${owner}`);
      }
      if (existing) {
        await client.query(`ALTER DATABASE ${database} WITH CONNECTION LIMIT ${limit}`);
      } else {
        await client.query(
          `CREATE DATABASE ${database} WITH OWNER ${client.escapeIdentifier(owner)} TEMPLATE template0 ` +
            `ENCODING 'UTF8' CONNECTION LIMIT ${limit}`,
        );
      }
      // New databases let every role connect (PUBLIC); on a shared server only the owner may.
      await client.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
      await client.query(commentStatement(client, database, inputs.comment));
      return !existing;
    });
    try {
      await syncExtensions(inputs.server, name, inputs.extensions, []);
    } catch (err) {
      // The engine records nothing for a failed create: leave nothing behind either.
      if (created) {
        await withAdmin(inputs.server, undefined, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
        );
      }
      throw err;
    }
    return { id: name, outs: { ...inputs, ...endpoint(inputs.server) } };
  },

  async read(id, props) {
    if (!props) throw new Error("importing an existing database is not supported");
    const name = checkedName(id);
    const { rows } = await withAdmin(props.server, undefined, (client) =>
      client.query<{ owner: string; datconnlimit: number }>(
        "SELECT pg_get_userbyid(datdba) AS owner, datconnlimit FROM pg_database WHERE datname = $1",
        [name],
      ),
    );
    const row = rows[0];
    // An empty id tells the engine the database is gone.
    if (!row) return { id: "" };
    const installed = await withAdmin(props.server, name, async (client) => {
      const result = await client.query<{ extname: string }>("SELECT extname FROM pg_extension");
      return new Set(result.rows.map((ext) => ext.extname));
    });
    return {
      id,
      props: {
        ...props,
        owner: row.owner,
        connectionLimit: row.datconnlimit,
        extensions: (props.extensions ?? []).filter((extension) => installed.has(extension)),
      },
    };
  },

  async update(id, olds, news) {
    const name = checkedName(id);
    const owner = checkedName(news.owner);
    const limit = checkedLimit(news.connectionLimit);
    await withAdmin(news.server, undefined, async (client) => {
      const database = client.escapeIdentifier(name);
      await client.query(`ALTER DATABASE ${database} WITH CONNECTION LIMIT ${limit}`);
      await client.query(`ALTER DATABASE ${database} OWNER TO ${client.escapeIdentifier(owner)}`);
      if ((olds.comment ?? null) !== (news.comment ?? null))
        await client.query(commentStatement(client, database, news.comment));
    });
    await syncExtensions(news.server, name, news.extensions, olds.extensions ?? []);
    return { outs: { ...news, ...endpoint(news.server) } };
  },

  async delete(id, props) {
    const name = checkedName(id);
    // FORCE ends the owner's sessions: deleting a stack must not wait for its clients.
    await withAdmin(props.server, undefined, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
    );
  },
} satisfies pulumi.dynamic.ResourceProvider<DatabaseInputs, DatabaseOutputs>;

/** A Postgres database on the platform's server. */
export class PgDatabase extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly host: pulumi.Output<string>;
  declare readonly port: pulumi.Output<number>;
  declare readonly connectionLimit: pulumi.Output<number>;
  declare readonly extensions: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: { [K in keyof DatabaseArgs]: pulumi.Input<DatabaseArgs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      databaseProvider,
      name,
      { ...args, server: undefined, host: undefined, port: undefined },
      opts,
      "postgres",
      "Database",
    );
  }
}
