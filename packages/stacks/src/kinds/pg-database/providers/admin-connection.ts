// How the pg-database providers reach the Postgres server. These functions are serialized with
// the providers (Pulumi's closure serializer) and run in Pulumi's dynamic-provider process, so
// they capture nothing but plain data: `pg` is loaded at call time, and the admin URL comes from
// the engine's environment at call time, never from a resource input or Pulumi state.
import type { Client } from "pg";
import { PG_EXTENSIONS } from "../spec.ts";

/** The engine environment variable holding the admin URL of the server. */
export const SERVER_URL_ENV = "GANTRY_PG_SERVER_URL";

/**
 * `host:port` of the server a Postgres URL points at. State records this identity instead of the
 * URL, so a resource always knows which server it lives on without holding a credential.
 */
export function serverIdentity(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL holds a password: never repeat it.
    throw new Error(`${SERVER_URL_ENV} is not a valid postgres:// URL`);
  }
  const host = parsed.hostname || parsed.searchParams.get("host") || "localhost";
  return `${host}:${parsed.port || "5432"}`;
}

/** Host and port clients use, from a server identity. */
export function endpoint(server: string): { host: string; port: number } {
  const at = server.lastIndexOf(":");
  return { host: server.slice(0, at).replace(/^\[(.*)\]$/, "$1"), port: Number(server.slice(at + 1)) };
}

/**
 * The admin URL of the server. Given the server a resource lives on, refuses a URL that points
 * at another one: acting there would create duplicates or drop the wrong database.
 */
export function adminUrl(server?: string): string {
  const url = process.env[SERVER_URL_ENV];
  if (!url) {
    throw new Error(`${SERVER_URL_ENV} is not set: the engine needs the admin URL of the pg-database server`);
  }
  const current = serverIdentity(url);
  if (server !== undefined && current !== server) {
    throw new Error(
      `this resource lives on ${server}, but ${SERVER_URL_ENV} points at ${current}; refusing to act`,
    );
  }
  return url;
}

/** Runs `work` on an admin connection to `database` (by default the admin URL's own) on `server`. */
export async function withAdmin<T>(
  server: string,
  database: string | undefined,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const pg = require("pg") as typeof import("pg");
  const url = new URL(adminUrl(server));
  if (database !== undefined) url.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({ connectionString: url.toString(), application_name: "gantry-pg-database" });
  // A connection dropped between queries surfaces as the next query's error; without a listener
  // the 'error' event would crash the provider process instead.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Names the providers manage are physical names (physical-name.ts); anything else never reaches SQL. */
export function checkedName(name: unknown): string {
  if (typeof name !== "string" || !/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`${JSON.stringify(name)} is not a name Gantry manages on Postgres`);
  }
  return name;
}

export function checkedLimit(limit: unknown): number {
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < -1) {
    throw new Error(`${JSON.stringify(limit)} is not a connection limit`);
  }
  return limit;
}

export function checkedExtension(name: unknown): string {
  if (!PG_EXTENSIONS.some((allowed) => allowed === name)) {
    throw new Error(`${JSON.stringify(name)} is not an extension pg-database may install`);
  }
  return name as string;
}
