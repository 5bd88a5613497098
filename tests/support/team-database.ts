// What database tests share: a fresh migrated database per file (test-database.ts), a client on it
// and one team to own the rows the tests write.
import { randomBytes } from "node:crypto";
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

/** An `up` of the team (empty spec), on `stackId` or on a new stack (a `pg-database`, empty spec). */
export async function newOperation(
  context: TeamDatabase,
  operation: { stackId?: string; status?: "queued" | "running"; createdAt?: Date; requestedBy?: string } = {},
): Promise<{ stackId: string; operationId: string }> {
  const stackId =
    operation.stackId ??
    (
      await context.db.stack.create({
        data: {
          teamId: context.teamId,
          kind: "pg-database",
          name: `s-${randomBytes(4).toString("hex")}`,
          spec: {},
        },
      })
    ).id;
  const created = await context.db.operation.create({
    data: { teamId: context.teamId, kind: "up", spec: {}, requestedBy: "t", ...operation, stackId },
  });
  return { stackId, operationId: created.id };
}
