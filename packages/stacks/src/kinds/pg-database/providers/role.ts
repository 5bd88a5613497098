// The database's owner role: a LOGIN role with a generated password and a connection limit.
import * as pulumi from "@pulumi/pulumi";
import { checkedLimit, checkedName, withAdmin } from "./admin-connection.ts";
import { callRoleFunction } from "./role-functions.ts";
import { newPassword, scramVerifier } from "./scram.ts";
import { pinnedServer } from "./server-check.ts";

/** What the program sets. */
export interface RoleArgs {
  name: string;
  connectionLimit: number;
}
/** After `check`: pinned to a server (`host:port`, see admin-connection.ts). */
export interface RoleInputs extends RoleArgs {
  server: string;
}
export interface RoleOutputs extends RoleInputs {
  password: string;
  canLogin: boolean;
}

export const roleProvider = {
  async check(olds: Partial<RoleInputs>, news: RoleArgs) {
    return { inputs: { ...news, server: pinnedServer(olds.server) } };
  },

  async diff(_id, olds, news) {
    const replaces = olds.server !== news.server || olds.name !== news.name ? ["server", "name"] : [];
    const changes =
      replaces.length > 0 || olds.connectionLimit !== news.connectionLimit || olds.canLogin !== true;
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const name = checkedName(inputs.name);
    const limit = checkedLimit(inputs.connectionLimit);
    const password = newPassword();
    // The name derives from the stack (physical-name.ts), so an existing role of that name was left
    // by an interrupted run of this stack: the function adopts it, with a new password. It also
    // makes the engine a member, which creating, handing over and dropping the database takes.
    await withAdmin(inputs.server, undefined, (client) =>
      callRoleFunction(client, "create_login", [name, scramVerifier(password), limit]),
    );
    return { id: name, outs: { ...inputs, password, canLogin: true } };
  },

  async read(id, props) {
    if (!props) throw new Error("importing an existing role is not supported");
    const name = checkedName(id);
    const { rows } = await withAdmin(props.server, undefined, (client) =>
      client.query<{ rolconnlimit: number; rolcanlogin: boolean }>(
        "SELECT rolconnlimit, rolcanlogin FROM pg_roles WHERE rolname = $1",
        [name],
      ),
    );
    const row = rows[0];
    // An empty id tells the engine the role is gone.
    if (!row) return { id: "" };
    return { id, props: { ...props, connectionLimit: row.rolconnlimit, canLogin: row.rolcanlogin } };
  },

  async update(id, olds, news) {
    const name = checkedName(id);
    const limit = checkedLimit(news.connectionLimit);
    await withAdmin(news.server, undefined, (client) =>
      callRoleFunction(client, "alter_login", [name, limit]),
    );
    return { outs: { ...news, password: olds.password, canLogin: true } };
  },

  async delete(id, props) {
    const name = checkedName(id);
    await withAdmin(props.server, undefined, (client) => callRoleFunction(client, "drop_login", [name]));
  },
} satisfies pulumi.dynamic.ResourceProvider<RoleInputs, RoleOutputs>;

/** A Postgres login role; `password` is a secret output. */
export class PgRole extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;
  declare readonly connectionLimit: pulumi.Output<number>;

  constructor(
    name: string,
    args: { [K in keyof RoleArgs]: pulumi.Input<RoleArgs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      roleProvider,
      name,
      { ...args, server: undefined, password: undefined, canLogin: undefined },
      { ...opts, additionalSecretOutputs: ["password"] },
      "postgres",
      "Role",
    );
  }
}
