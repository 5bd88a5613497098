// pg-database apart from its program (index.ts): spec, outputs and engine environment.
import { defineKindSpec } from "../../kind-spec.ts";
import { SERVER_URL_ENV } from "./providers/admin-connection.ts";
import { pgDatabaseSpec } from "./spec.ts";

export const pgDatabaseDefinition = defineKindSpec({
  name: "pg-database",
  title: "PostgreSQL database",
  description:
    "A database with its own owner role (generated password) on the platform's PostgreSQL server, " +
    "with a connection limit and a choice of extensions. For development and CI databases.",
  specSchema: pgDatabaseSpec,
  dependsOn: [],
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
});
