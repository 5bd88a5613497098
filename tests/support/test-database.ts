// A fresh, migrated database per test file on the server setup started, dropped afterwards, so
// test files never see each other's rows and every run starts clean.
import { randomBytes } from "node:crypto";
import { migrate } from "@gantry/db/migrate";
import pg from "pg";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.GANTRY_TEST_PG_SERVER_URL;
  if (!url) throw new Error("GANTRY_TEST_PG_SERVER_URL is unset: run the tests with `npm test`");
  return url;
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gantry_test_${randomBytes(6).toString("hex")}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
