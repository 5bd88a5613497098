// Ephemeral stacks end to end (README, Ephemeral stacks): the real API, worker and engine on
// pg-database, the expiry schedule ticking every second. A stack with a ttl is warned of, then
// destroyed by the schedule when it expires; one that another stack depends on is left standing
// and says why; extending it clears that. A protected one is left standing until unprotected.

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin } from "./pg-server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

let gantry: Gantry;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gantry = await startGantry({
    GANTRY_EXPIRY_TICK_SECONDS: "1",
    GANTRY_EXPIRY_WARN_SECONDS: "3600",
    GANTRY_WEBHOOK_URLS: receiver.url,
    GANTRY_WEBHOOK_SECRET: randomBytes(16).toString("hex"),
  });
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
  receiver?.close();
});

const call = (method: string, path: string, body?: unknown, token?: string) =>
  gantry.call(method, path, body, token);
const delivered = (event: string, stackId: string) =>
  waitUntil(() => receiver.deliveries.find((d) => d.event === event && d.stack.id === stackId), {
    timeout: 30_000,
    what: `the ${event} webhook`,
  });
const databaseExists = async (name: string) =>
  (await admin("SELECT 1 FROM pg_database WHERE datname = $1", [name])).length === 1;

describe("ephemeral stacks", () => {
  it("are warned of, then destroyed by the schedule when they expire", async () => {
    const name = `eph-${randomBytes(3).toString("hex")}`;
    const created = await call("POST", "/v1/stacks", { kind: "pg-database", name, spec: {}, ttl: 8 });
    expect(created.status).toBe(202);
    const stackId = created.body.stack.id;
    const expiresAt = new Date(created.body.stack.expiresAt).getTime();
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(8_000);
    expect((await gantry.finished(created.body.operation.id)).status).toBe("succeeded");
    const database = (await call("GET", `/v1/stacks/${stackId}`)).body.outputs.database;
    expect(await databaseExists(database)).toBe(true);

    const warning = await delivered("stack.expiring", stackId);
    expect(new Date(warning.stack.expiresAt).getTime()).toBe(expiresAt);
    const expired = await delivered("stack.expired", stackId);
    const destroy = await gantry.finished(expired.destroyOperationId);
    expect(destroy).toMatchObject({ kind: "destroy", status: "succeeded", requestedBy: "expiry" });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("destroyed");
    expect(await databaseExists(database)).toBe(false);
    expect((await call("GET", "/v1/expiring")).body.stacks.map((s: { id: string }) => s.id)).not.toContain(
      stackId,
    );
  });

  it("leave an expired stack others depend on standing, say why, and clear it when extended", async () => {
    const suffix = randomBytes(3).toString("hex");
    const db = await call("POST", "/v1/stacks", {
      kind: "pg-database",
      name: `eph-db-${suffix}`,
      spec: {},
      ttl: 3600,
    });
    const stackId = db.body.stack.id;
    expect((await gantry.finished(db.body.operation.id)).status).toBe("succeeded");
    // A workload bound to the database (its AWS run fails here: no credentials; it still depends on it).
    const network = await call("POST", "/v1/stacks", {
      kind: "network",
      name: `eph-net-${suffix}`,
      spec: {},
    });
    expect(network.status, JSON.stringify(network.body)).toBe(202);
    const app = await call("POST", "/v1/stacks", {
      kind: "workload",
      name: `eph-app-${suffix}`,
      spec: { target: "ecs", image: "nginx:1.27", databases: [{ stack: `eph-db-${suffix}` }] },
      dependsOn: [`eph-net-${suffix}`, `eph-db-${suffix}`],
    });
    expect(app.status, JSON.stringify(app.body)).toBe(202);
    await gantry.finished(app.body.operation.id);

    const soon = new Date(Date.now() + 1500).toISOString();
    const moved = await call("POST", `/v1/stacks/${stackId}/extend`, { expiresAt: soon });
    expect(moved.status).toBe(200);
    expect(new Date(moved.body.expiresAt).toISOString()).toBe(soon);
    await delivered("stack.expiry_blocked", stackId);
    const stack = (await call("GET", `/v1/stacks/${stackId}`)).body;
    expect(stack.status).toBe("ready");
    expect(stack.expiryBlockedReason).toMatch(new RegExp(`used by eph-app-${suffix}`));
    const fleet = (await call("GET", "/v1/expiring")).body.stacks;
    expect(fleet.find((s: { id: string }) => s.id === stackId).expiryBlockedReason).toMatch(/used by/);
    const history = (await call("GET", `/v1/stacks/${stackId}/operations?kind=destroy`)).body.operations;
    expect(history).toEqual([]);

    const extended = await call("POST", `/v1/stacks/${stackId}/extend`, { ttl: 3600 });
    expect(extended.status).toBe(200);
    expect(extended.body.expiryBlockedReason).toBeNull();
    expect(new Date(extended.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await call("POST", `/v1/stacks/${stackId}/extend`, { ttl: 1 })).status).toBe(400);
    expect(
      (
        await call("POST", "/v1/stacks", {
          kind: "pg-database",
          name: `x-${suffix}`,
          spec: {},
          ttl: 60,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        })
      ).status,
    ).toBe(422);
  });

  it("leave an expired protected stack standing until an admin unprotects it", async () => {
    const created = await call("POST", "/v1/stacks", {
      kind: "pg-database",
      name: `eph-prot-${randomBytes(3).toString("hex")}`,
      spec: {},
      ttl: 3600,
    });
    const stackId = created.body.stack.id;
    expect((await gantry.finished(created.body.operation.id)).status).toBe("succeeded");
    expect((await call("POST", `/v1/stacks/${stackId}/protect`)).status).toBe(200);
    const soon = new Date(Date.now() + 1500).toISOString();
    expect((await call("POST", `/v1/stacks/${stackId}/extend`, { expiresAt: soon })).status).toBe(200);

    await delivered("stack.expiry_blocked", stackId);
    const stack = (await call("GET", `/v1/stacks/${stackId}`)).body;
    expect(stack).toMatchObject({ status: "ready", protected: true });
    expect(stack.expiryBlockedReason).toMatch(/not destroyed: it is protected/);
    expect((await call("GET", `/v1/stacks/${stackId}/operations?kind=destroy`)).body.operations).toEqual([]);

    // Unprotected, it expires as any other: the schedule's destroy is not held back.
    expect((await call("POST", `/v1/stacks/${stackId}/unprotect`)).status).toBe(200);
    const expired = await delivered("stack.expired", stackId);
    const destroy = await gantry.finished(expired.destroyOperationId);
    expect(destroy).toMatchObject({ kind: "destroy", status: "succeeded", requestedBy: "expiry" });
    expect((await call("GET", `/v1/stacks/${stackId}`)).body.status).toBe("destroyed");
  });
});
