// What database tests share: a fresh migrated database per file (test-database.ts), a client on it
// and one team to own the rows the tests write.
import { createDb, type Db } from "@gantry/db";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface TeamDatabase {
  db: Db;
  teamId: string;
  /** The database's URL, for a client of the test's own. */
  url: string;
}

/**
 * Creates the database, a client with `poolSize` connections and a team named `teamName` before
 * the file's tests, and drops them after. beforeAll fills in the object it returns, so read its
 * fields in tests and hooks, not at the top of the file.
 */
export function useTeamDatabase(teamName: string, poolSize: number): TeamDatabase {
  const context = {} as TeamDatabase;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    context.url = database.url;
    context.db = createDb(database.url, { poolSize });
    context.teamId = (await context.db.team.create({ data: { name: teamName } })).id;
  });
  afterAll(async () => {
    await context.db?.$disconnect();
    await database?.drop();
  });
  return context;
}
