// The spec of a pg-database stack: what a team may choose about its database.
import { z } from "zod";

/**
 * Extensions a team may install: contrib extensions that are "trusted" (PostgreSQL ≥ 13), i.e.
 * give no way out of the database owner's privileges on a shared server.
 */
export const PG_EXTENSIONS = [
  "btree_gin",
  "btree_gist",
  "citext",
  "hstore",
  "pg_trgm",
  "pgcrypto",
  "uuid-ossp",
] as const;
export type PgExtension = (typeof PG_EXTENSIONS)[number];

export const pgDatabaseSpec = z
  .strictObject({
    connectionLimit: z
      .int()
      .min(-1)
      .max(1000)
      .default(20)
      .describe("Most concurrent connections to the database and by its owner role; -1 means unlimited.")
      .meta({ examples: [20, 5, -1] }),
    extensions: z
      .array(z.enum(PG_EXTENSIONS))
      .refine((list) => new Set(list).size === list.length, "must not list an extension twice")
      .default([])
      .describe(
        "Extensions installed in the database. Removing one from the list drops it from the database " +
          "(refused by Postgres while objects still use it).",
      )
      .meta({ examples: [["pgcrypto", "citext"]] }),
  })
  .describe("A database with its own owner role on the platform's Postgres server.")
  .meta({ examples: [{ connectionLimit: 20, extensions: ["pgcrypto"] }, {}] });

export type PgDatabaseSpec = z.output<typeof pgDatabaseSpec>;
