// The offline kind: a database and its owner role on a Postgres server the platform is given.
// Real engine, real state, no cloud: every end-to-end, drift and chaos test runs on it.
import * as pulumi from "@pulumi/pulumi";
import { defineKind } from "../../kind.ts";
import { pgDatabaseDefinition } from "./definition.ts";
import { PgDatabase } from "./providers/database.ts";
import { PgRole } from "./providers/role.ts";

export const pgDatabase = defineKind({
  ...pgDatabaseDefinition,

  async program({ spec, physicalName }) {
    const role = new PgRole("owner", { name: physicalName, connectionLimit: spec.connectionLimit });
    const database = new PgDatabase("database", {
      name: physicalName,
      owner: role.name,
      connectionLimit: spec.connectionLimit,
      extensions: spec.extensions,
    });
    const connectionString = pulumi
      .all([role.name, role.password, database.host, database.port, database.name])
      .apply(([user, password, host, port, name]) => {
        const url = new URL(`postgresql://${host.includes(":") ? `[${host}]` : host}:${port}`);
        url.username = user;
        url.password = password;
        url.pathname = `/${name}`;
        return url.toString();
      });
    return {
      host: database.host,
      port: database.port,
      database: database.name,
      username: role.name,
      password: role.password,
      connectionString,
    };
  },
});
