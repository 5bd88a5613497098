// Canary secrets: pg-database stacks go through every operation kind on the real API, worker and
// engine; then the API and worker logs, every row of every table of Gantry's database and every
// Redis key of this instance are searched for the generated passwords and every other known
// secret. The only place they may be is the encrypted Pulumi state (not searched).
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";

let gantry: Gantry;
const OPERATION_KINDS = ["preview", "refresh", "drift-check", "up", "remediate"];

beforeAll(async () => {
  gantry = await startGantry({ LOG_LEVEL: "debug" });
}, 120_000);
afterAll(() => gantry?.stop());

const succeeded = (operationId: string) => expectSucceeded(gantry, operationId);

/** Every row of every table of Gantry's database, as text. */
async function databaseText(): Promise<{ table: string; text: string }[]> {
  const client = new pg.Client({ connectionString: gantry.env.DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    const rows: { table: string; text: string }[] = [];
    for (const { name } of tables.rows) {
      const result = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM ${client.escapeIdentifier(name)} t`,
      );
      for (const row of result.rows) rows.push({ table: name, text: row.row });
    }
    return rows;
  } finally {
    await client.end();
  }
}

/** Every key and value under this instance's Redis prefix, as text. */
async function redisText(): Promise<{ key: string; text: string }[]> {
  const redis = new Redis(process.env.REDIS_URL ?? "", { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const entries: { key: string; text: string }[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(
        cursor,
        "MATCH",
        `${gantry.env.GANTRY_QUEUE_PREFIX}:*`,
        "COUNT",
        500,
      );
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === "string"
            ? await redis.get(key)
            : type === "hash"
              ? await redis.hgetall(key)
              : type === "list"
                ? await redis.lrange(key, 0, -1)
                : type === "set"
                  ? await redis.smembers(key)
                  : type === "zset"
                    ? await redis.zrange(key, 0, -1, "WITHSCORES")
                    : type === "stream"
                      ? await redis.xrange(key, "-", "+")
                      : null;
        entries.push({ key, text: `${key} ${JSON.stringify(value)}` });
      }
    } while (cursor !== "0");
    return entries;
  } finally {
    redis.disconnect();
  }
}

describe("canary secrets", () => {
  it("appear nowhere but the encrypted state after every operation kind", async () => {
    const canaries = new Map<string, string>();
    const password = (url: string | undefined) => decodeURIComponent(new URL(url ?? "").password);
    canaries.set("engine role password", password(process.env.GANTRY_PG_SERVER_URL));
    canaries.set("Gantry database password", password(gantry.env.DATABASE_URL));
    if (gantry.env.GANTRY_STATE_BACKEND_URL?.startsWith("postgres://"))
      canaries.set("state backend password", password(gantry.env.GANTRY_STATE_BACKEND_URL));
    canaries.set("admin token", gantry.adminToken);
    canaries.set("viewer token", gantry.viewerToken);

    const stackIds: string[] = [];
    for (const [name, spec] of [
      [`canary-a-${Date.now().toString(36)}`, { connectionLimit: 3 }],
      [`canary-b-${Date.now().toString(36)}`, { connectionLimit: 4, extensions: ["pgcrypto"] }],
    ] as const) {
      const created = await gantry.call("POST", "/v1/stacks", { kind: "pg-database", name, spec });
      expect(created.status).toBe(202);
      await succeeded(created.body.operation.id);
      stackIds.push(created.body.stack.id);
    }

    for (const id of stackIds) {
      const revealed = await gantry.call("GET", `/v1/stacks/${id}/outputs?reveal=true`);
      expect(revealed.status).toBe(200);
      expect(revealed.body.outputs.password).toMatch(/.{16,}/);
      canaries.set(`password of ${id}`, revealed.body.outputs.password);
      canaries.set(`connection string of ${id}`, revealed.body.outputs.connectionString);
    }

    const [first, second] = stackIds as [string, string];
    const patched = await gantry.call("PATCH", `/v1/stacks/${first}`, { spec: { connectionLimit: 6 } });
    await succeeded(patched.body.operation.id);
    // Every other operation kind, through POST /v1/stacks/:id/operations.
    for (const kind of OPERATION_KINDS) {
      const res = await gantry.call("POST", `/v1/stacks/${first}/operations`, { kind });
      expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).toBe(202);
      await succeeded(res.body.operation.id);
    }
    for (const id of [first, second]) {
      const deleted = await gantry.call("DELETE", `/v1/stacks/${id}`);
      expect(deleted.status).toBe(202);
      await succeeded(deleted.body.operation.id);
    }

    const logs = gantry.logs();
    expect(logs.length).toBeGreaterThan(1000);
    const rows = await databaseText();
    expect(rows.some((r) => r.table === "operation_events")).toBe(true);
    expect(rows.some((r) => r.table === "audit_entries")).toBe(true);
    const keys = await redisText();

    const hits: string[] = [];
    for (const [what, secret] of canaries) {
      expect(secret.length, what).toBeGreaterThanOrEqual(16);
      if (logs.includes(secret)) hits.push(`${what} in the logs`);
      for (const row of rows) {
        const at = row.text.indexOf(secret);
        // What precedes it says which field leaked (the secret itself is not repeated).
        if (at >= 0)
          hits.push(`${what} in table ${row.table}, after …${row.text.slice(Math.max(0, at - 300), at)}`);
      }
      for (const entry of keys)
        if (entry.text.includes(secret)) hits.push(`${what} in Redis key ${entry.key}`);
    }
    expect(hits).toEqual([]);
  });
});
