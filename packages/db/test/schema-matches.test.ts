// The migrations and schema.prisma must describe the same database. Migrations are SQL written
// (or generated) separately from the schema, so this is what stops them drifting apart: a fresh
// database migrated from prisma/migrations is compared with what schema.prisma says, as read by
// Prisma's own parser, and with the database Prisma's own engine would create for the schema.
import { readFile } from "node:fs/promises";
import { SCHEMA_PATH } from "@gantry/db/migrate";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
  testServerUrl,
} from "../../../tests/support/test-database.ts";
import { diffSchemas } from "../src/migrate/schema-engine.ts";
import { expectedSchema, readDmmf } from "./support/expected-schema.ts";
import { introspect, type Schema } from "./support/introspect.ts";

let migrated: TestDatabase;
let actual: Schema;

beforeAll(async () => {
  migrated = await createTestDatabase();
  actual = await introspect(migrated.url);
});

afterAll(async () => {
  await migrated?.drop();
});

describe("a database migrated from prisma/migrations", () => {
  it("has exactly the tables, columns, types, defaults, keys, indexes and foreign keys of schema.prisma", async () => {
    const expected = expectedSchema(await readDmmf(SCHEMA_PATH));
    // Table by table first, for a readable failure; then the whole, so nothing extra slips by.
    for (const [name, table] of Object.entries(expected.tables)) {
      expect(actual.tables[name], `table ${name}`).toEqual(table);
    }
    expect(actual).toEqual(expected);
  });

  it("equals the database Prisma's schema engine creates from schema.prisma", async () => {
    const fromPrisma = await createTestDatabase({ migrated: false });
    try {
      const sql = await diffSchemas(testServerUrl(), undefined, await readFile(SCHEMA_PATH, "utf8"));
      const client = new pg.Client({ connectionString: fromPrisma.url });
      await client.connect();
      await client.query(sql).finally(() => client.end());
      expect(actual).toEqual(await introspect(fromPrisma.url));
    } finally {
      await fromPrisma.drop();
    }
  });
});
