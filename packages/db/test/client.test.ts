// createDb: Prisma and the raw statements share one pool, and $disconnect ends it, whether or not
// Prisma itself ever connected (Prisma alone would leave a pool it never used open); an idle
// connection the server ends is dropped, not thrown at the process, before Prisma connects and
// after it disconnects alike.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { createDb } from "../src/index.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("createDb", () => {
  it("ends its pool on $disconnect when only the pool was used", async () => {
    const db = createDb(database.url, { poolSize: 1 });
    expect((await db.pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await db.$disconnect();
    expect(db.pool.ended).toBe(true);
    expect(db.pool.totalCount).toBe(0);
  });

  it("runs Prisma on that same pool, and ends it once when both were used", async () => {
    const db = createDb(database.url, { poolSize: 1 });
    await db.team.count();
    const [viaPrisma] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const viaPool = await db.pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(viaPool.rows[0]?.pid).toBe(viaPrisma?.pid);
    await db.$disconnect();
    await db.$disconnect();
    expect(db.pool.ended).toBe(true);
  });

  it("drops an idle connection the server ends, and opens another for the next query", async () => {
    const db = createDb(database.url, { poolSize: 1 });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Only the pool used: Prisma has not connected, so only the pool's own listener is there.
      const { rows } = await db.pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
      await expect.poll(() => db.pool.totalCount).toBe(0);
      const again = await db.pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      expect(again.rows[0]?.pid).not.toBe(rows[0]?.pid);
    } finally {
      await admin.end();
      await db.$disconnect();
    }
  });
});
