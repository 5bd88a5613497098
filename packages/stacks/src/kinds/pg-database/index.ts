// The offline kind: a database and its owner role on a Postgres server the platform is given.
// Real engine, real state, no cloud: every end-to-end, drift and chaos test runs on it.
import * as pulumi from "@pulumi/pulumi";
import { defineKind } from "../../kind.ts";
import { SERVER_URL_ENV } from "./providers/admin-connection.ts";
import { PgDatabase } from "./providers/database.ts";
import { PgRole } from "./providers/role.ts";
import { pgDatabaseSpec } from "./spec.ts";

export const pgDatabase = defineKind({
  name: "pg-database",
  title: "PostgreSQL database",
  description:
    "A database with its own owner role (generated password) on the platform's PostgreSQL server, " +
    "with a connection limit and a choice of extensions. For development and CI databases.",
  specSchema: pgDatabaseSpec,
  dependsOn: [],
  versions: [
    { version: 1, changes: "The database and its owner role." },
    {
      version: 2,
      changes: "Hardened: the database carries a comment naming its stack and the blueprint (who owns it).",
    },
  ],
  outputs: [
    { name: "host", description: "Server host name.", secret: false },
    { name: "port", description: "Server port.", secret: false },
    { name: "database", description: "Database name.", secret: false },
    { name: "username", description: "Owner role; log in as it.", secret: false },
    { name: "password", description: "Password of the owner role.", secret: true },
    { name: "connectionString", description: "postgresql:// URL with the credentials.", secret: true },
  ],

  /** The engine needs GANTRY_PG_SERVER_URL (secret: an admin URL of the server). */
  engineEnv(platform) {
    if (!platform.pgServerUrl)
      throw new Error("pg-database needs the platform's Postgres server URL (pgServerUrl)");
    return { [SERVER_URL_ENV]: platform.pgServerUrl };
  },

  async program({ spec, physicalName, stack, blueprintVersion = 1 }) {
    const role = new PgRole("owner", { name: physicalName, connectionLimit: spec.connectionLimit });
    const database = new PgDatabase("database", {
      name: physicalName,
      owner: role.name,
      connectionLimit: spec.connectionLimit,
      extensions: spec.extensions,
      ...(blueprintVersion >= 2
        ? {
            comment: `Gantry stack ${stack.teamName}/${stack.name} (pg-database blueprint v${blueprintVersion})`,
          }
        : {}),
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
