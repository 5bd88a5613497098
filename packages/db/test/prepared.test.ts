// Statements marked PREPARED are prepared once per connection under a name (Postgres then reuses
// their plan); every other statement stays unnamed, so the set a connection keeps stays fixed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { createDb, type Db, PREPARED } from "../src/index.ts";
import { createStacksWithUp } from "../src/stack-create.ts";

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection: pg_prepared_statements shows the session's own statements only.
  db = createDb(database.url, { poolSize: 1 });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const prepared = () =>
  db.$queryRaw<{ name: string; statement: string; calls: bigint }[]>`
    SELECT name, statement, generic_plans + custom_plans AS calls FROM pg_prepared_statements ORDER BY name`;

describe("PREPARED statements", () => {
  it("are prepared once on the connection under a name from their text, and used again", async () => {
    const team = await db.team.create({ data: { name: "prepared" } });
    // Through Prisma and on the pool alike: the pool's one connection knows the name either way.
    for (const [name, runner] of [
      ["p-one", db],
      ["p-two", db.pool],
      ["p-three", db],
    ] as const)
      await createStacksWithUp(runner, [
        {
          teamId: team.id,
          kind: "pg-database",
          name,
          spec: {},
          requestedBy: "test",
          managedBy: null,
          blueprintVersion: 1,
          expiresAt: null,
        },
      ]);
    for (let i = 0; i < 3; i++) await db.$queryRaw`${PREPARED}SELECT ${i}::int AS n`;
    const statements = await prepared();
    expect(statements.map((s) => s.statement.slice(0, 25))).toEqual(
      expect.arrayContaining(["/* prepared */ \n      WIT", "/* prepared */ SELECT $1:"]),
    );
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.name).toMatch(/^gantry_[0-9a-f]{24}$/);
      expect(Number(statement.calls)).toBe(3);
    }
  });

  it("leave every other statement unnamed", async () => {
    const before = (await prepared()).length;
    await db.$queryRaw`SELECT 1 AS unmarked`;
    await db.team.findMany({ take: 1 });
    expect(await prepared()).toHaveLength(before);
  });
});
