// Token resolution is cached per API process (auth/token-cache.ts), and revocation still takes
// effect at once on every process: two real API processes, tokens warm in both caches, revoked
// on one (over the API, with the admin CLI, in SQL), refused by the other on the next request.

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, type GantryProcess, runCommand, startApi } from "../../../tests/e2e/processes.ts";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/test-database.ts";
import { waitUntil } from "../../../tests/support/wait.ts";

const LISTENER = "gantry-listen-gantry_tokens";

describe("the token cache across API processes", () => {
  let database: TestDatabase;
  let sql: pg.Client;
  let env: Record<string, string>;
  const apis: { process: GantryProcess; baseUrl: string }[] = [];
  let admin = "";

  const newToken = (role: string) => createToken(env, { team: "cache", role });
  const call = async (api: number, token: string, method = "GET", path = "/v1/stacks") => {
    const response = await fetch(`${apis[api]?.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
    const body: any = await response.json();
    return { status: response.status, body };
  };
  /** Both processes have resolved the token (and so cached it, while they listen). */
  const warm = async (token: string) => {
    expect((await call(0, token)).status).toBe(200);
    expect((await call(1, token)).status).toBe(200);
  };
  const bothListening = () =>
    waitUntil(
      async () => {
        const { rows } = await sql.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
          [LISTENER],
        );
        return rows[0].n === 2 ? true : undefined;
      },
      { timeout: 120_000, what: "both API processes to listen for token changes" },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    env = { DATABASE_URL: database.url, LOG_LEVEL: "info", RATE_LIMIT_MAX: "100000" };
    for (let i = 0; i < 2; i++) {
      const started = await startApi(env);
      apis.push({ process: started, baseUrl: started.baseUrl });
    }
    admin = await newToken("admin");
    await bothListening();
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.process.stop()));
    await sql?.end();
    await database?.drop();
  });

  it("serves a warm token from memory (a revocation nobody announces goes unseen)", async () => {
    // The control: with the trigger off, the process only learns of a change from its database
    // read, so a 200 after the revocation proves that no read happened.
    const token = await newToken("viewer");
    await warm(token);
    await sql.query("ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_notify_change");
    try {
      await sql.query("UPDATE api_tokens SET revoked_at = now() WHERE prefix = $1", [token.slice(0, 12)]);
      expect((await call(1, token)).status).toBe(200);
    } finally {
      await sql.query("UPDATE api_tokens SET revoked_at = NULL WHERE prefix = $1", [token.slice(0, 12)]);
      await sql.query("ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_notify_change");
    }
  });

  it("refuses a token on the other process as soon as it is revoked over the API", async () => {
    const token = await newToken("operator");
    await warm(token);
    const listed = await call(0, admin, "GET", "/v1/tokens");
    const id = listed.body.tokens.find((t: { prefix: string }) => token.startsWith(t.prefix))?.id;
    expect((await call(0, admin, "DELETE", `/v1/tokens/${id}`)).status).toBe(200);
    const other = await call(1, token);
    expect(other.status).toBe(401);
    expect(other.body.message).toMatch(/revoked/);
    expect((await call(0, token)).status).toBe(401);
  });

  it("refuses a token revoked with the admin CLI on both processes", async () => {
    const token = await newToken("viewer");
    await warm(token);
    await runCommand(["apps/api/src/admin.ts", "token", "revoke", token.slice(0, 12)], env);
    expect((await call(0, token)).status).toBe(401);
    expect((await call(1, token)).status).toBe(401);
  });

  it("reads every token from the database while its notification connection is down", async () => {
    const token = await newToken("viewer");
    await warm(token);
    await sql.query("ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_notify_change");
    try {
      const lost = (i: number) =>
        (apis[i]?.process.output().match(/notification connection lost/g) ?? []).length;
      const before = [lost(0), lost(1)];
      await sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [
        LISTENER,
      ]);
      await waitUntil(() => (lost(0) > (before[0] ?? 0) && lost(1) > (before[1] ?? 0) ? true : undefined), {
        timeout: 10_000,
        what: "both processes to notice the lost connection",
      });
      // Unannounced (trigger off): only a database read can see it.
      await sql.query("UPDATE api_tokens SET revoked_at = now() WHERE prefix = $1", [token.slice(0, 12)]);
      expect((await call(1, token)).status).toBe(401);
    } finally {
      await sql.query("ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_notify_change");
    }
    await bothListening();
  });
});
