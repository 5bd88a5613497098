// Canary secrets: pg-database stacks go through every operation kind on the real API, worker and
// engine, and so does a kubernetes-cluster stack, whose kubeconfig is a secret input (given on
// create and again on a PATCH, kept by a PATCH without it); then the API and worker logs, every
// row of every table of Gantry's database and every Redis key of this instance are searched for
// the generated passwords, the kubeconfig's token and every other known secret. The only place
// they may be is the encrypted Pulumi state (not searched).
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeKubeApi, startFakeKubeApi } from "../support/fake-kube-api.ts";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";

let gantry: Gantry;
let kubeApi: FakeKubeApi;
const OPERATION_KINDS = ["preview", "refresh", "drift-check", "up", "remediate"];

beforeAll(async () => {
  [gantry, kubeApi] = await Promise.all([
    startGantry({ LOG_LEVEL: "debug" }),
    startFakeKubeApi(`kube-token-${randomBytes(16).toString("hex")}`),
  ]);
}, 120_000);
afterAll(async () => {
  await gantry?.stop();
  await kubeApi?.close();
});

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

    // A secret input: the kubeconfig of an attached cluster, its token a canary.
    canaries.set("kubeconfig token", kubeApi.token);
    canaries.set("kubeconfig", kubeApi.kubeconfig);
    const cluster = await gantry.call("POST", "/v1/stacks", {
      kind: "kubernetes-cluster",
      name: `canary-k-${Date.now().toString(36)}`,
      spec: { kubeconfig: kubeApi.kubeconfig },
    });
    expect(cluster.status, JSON.stringify(cluster.body)).toBe(202);
    expect(cluster.body.stack.spec).toEqual({ kubeconfig: "[set]", requestTimeoutSeconds: 15 });
    await succeeded(cluster.body.operation.id);
    const clusterId = cluster.body.stack.id as string;
    // Kept: a PATCH without it runs on the value in the state; given again: handed off again.
    for (const spec of [{ requestTimeoutSeconds: 20 }, { kubeconfig: kubeApi.kubeconfig }]) {
      const res = await gantry.call("PATCH", `/v1/stacks/${clusterId}`, { spec });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await succeeded(res.body.operation.id);
    }
    const attached = await gantry.call("GET", `/v1/stacks/${clusterId}`);
    expect(attached.body.spec).toEqual({ kubeconfig: "[set]", requestTimeoutSeconds: 20 });
    expect(attached.body.outputs).toMatchObject({
      endpoint: kubeApi.url,
      nodeCount: 3,
      kubeconfig: "[secret]",
    });
    // A preview keeps no spec: a secret value in one is refused rather than dropped.
    const preview = await gantry.call("POST", `/v1/stacks/${clusterId}/operations`, {
      kind: "preview",
      spec: { kubeconfig: kubeApi.kubeconfig },
    });
    expect(preview.status).toBe(422);
    for (const kind of OPERATION_KINDS) {
      const res = await gantry.call("POST", `/v1/stacks/${clusterId}/operations`, { kind });
      expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).toBe(202);
      await succeeded(res.body.operation.id);
    }
    // Revealed outputs hold the kubeconfig output (for dependents), never the secret inputs' record.
    const revealedCluster = await gantry.call("GET", `/v1/stacks/${clusterId}/outputs?reveal=true`);
    expect(Object.keys(revealedCluster.body.outputs).sort()).toEqual([
      "endpoint",
      "kubeconfig",
      "kubernetesVersion",
      "nodeCount",
      "zones",
    ]);
    expect(revealedCluster.body.outputs.kubeconfig).toContain(kubeApi.token);
    const deletedCluster = await gantry.call("DELETE", `/v1/stacks/${clusterId}`);
    await succeeded(deletedCluster.body.operation.id);

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

    const logs = await gantry.logs();
    expect(logs.length).toBeGreaterThan(1000);
    const rows = await databaseText();
    expect(rows.some((r) => r.table === "operation_events")).toBe(true);
    expect(rows.some((r) => r.table === "audit_entries")).toBe(true);
    // Hand-offs end once the values are in the state.
    expect(rows.filter((r) => r.table === "secret_input_handoffs")).toEqual([]);
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
  }, 900_000);
});
