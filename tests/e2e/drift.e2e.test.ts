// Drift end to end: the real API and worker processes, the real engine on a pg-database stack,
// changes made behind Gantry's back with SQL, and a webhook receiver on localhost that checks
// every delivery's signature.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { verifySignature } from "../../apps/worker/src/webhooks/signature.ts";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin, connectionLimitOf } from "./pg-server.ts";

const ROLE = "pulumi-nodejs:dynamic/postgres:Role";
const DATABASE = "pulumi-nodejs:dynamic/postgres:Database";
const webhookSecret = randomBytes(24).toString("hex");
/** Several engine runs per test, on machines shared with other work: generous. */
const ENGINE_TEST_TIMEOUT = 360_000;

interface Delivery {
  body: string;
  signature: string;
  /** A receiver checks the timestamp against its clock when the request arrives. */
  receivedAt: number;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads what the receiver got
  json: any;
}

let gantry: Gantry;
let receiver: Server;
const deliveries: Delivery[] = [];
const refusedOnce = new Set<string>();

const succeeded = (operationId: string) => expectSucceeded(gantry, operationId);

async function request(stackId: string, kind: "drift-check" | "remediate") {
  const answer = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind });
  expect(answer.status).toBe(202);
  return succeeded(answer.body.operation.id);
}

async function latestReport(stackId: string) {
  const drift = await gantry.call("GET", `/v1/stacks/${stackId}/drift`);
  expect(drift.status).toBe(200);
  return drift.body;
}

function deliveriesOf(event: string, stackId: string) {
  return deliveries.filter(
    (d) => d.json.event === event && (d.json.stack?.id === stackId || d.json.operation?.stackId === stackId),
  );
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const json = JSON.parse(body);
      // Every delivery's first attempt is refused: each must come again (retries with backoff).
      if (!refusedOnce.has(json.id)) {
        refusedOnce.add(json.id);
        res.writeHead(503).end();
        return;
      }
      const receivedAt = Math.floor(Date.now() / 1000);
      deliveries.push({ body, signature: String(req.headers["gantry-signature"]), json, receivedAt });
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const address = receiver.address();
  if (!address || typeof address === "string") throw new Error("no receiver address");
  gantry = await startGantry({
    // Scheduled checks stay off here: each test asks for its checks (scheduling: drift-schedule.test.ts).
    GANTRY_DRIFT_INTERVAL_SECONDS: "0",
    GANTRY_WEBHOOK_URLS: `http://127.0.0.1:${address.port}/hooks`,
    GANTRY_WEBHOOK_SECRET: webhookSecret,
  });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
  receiver?.close();
});

describe("drift of a pg-database stack", () => {
  let stackId: string;
  let database: string;
  let password: string;
  const catalog = async () => {
    const [db] = await admin<{ datconnlimit: number }>(
      "SELECT datconnlimit FROM pg_database WHERE datname = $1",
      [database],
    );
    return { role: await connectionLimitOf(database), database: db?.datconnlimit };
  };

  beforeAll(async () => {
    const created = await gantry.call("POST", "/v1/stacks", {
      kind: "pg-database",
      name: `drift-${randomBytes(3).toString("hex")}`,
      spec: { connectionLimit: 5 },
    });
    expect(created.status).toBe(202);
    stackId = created.body.stack.id;
    await succeeded(created.body.operation.id);
    const outputs = (await gantry.call("GET", `/v1/stacks/${stackId}/outputs?reveal=true`)).body.outputs;
    database = outputs.database;
    password = outputs.password;
    expect(password).toMatch(/.{8,}/);
  }, 240_000);

  afterAll(async () => {
    // The database and role go with the stack, not with the test processes.
    if (!stackId) return;
    const deleted = await gantry.call("DELETE", `/v1/stacks/${stackId}`);
    await succeeded(deleted.body.operation.id);
  });

  it(
    "reports in_sync when nothing changed, and the check changes nothing",
    async () => {
      const before = await catalog();
      const op = await request(stackId, "drift-check");
      expect(op.kind).toBe("drift-check");
      const drift = await latestReport(stackId);
      expect(drift.driftStatus).toBe("in_sync");
      expect(drift.latest).toMatchObject({ status: "in_sync", resources: [], operationId: op.id });
      expect(await catalog()).toEqual(before);
      const stack = (await gantry.call("GET", `/v1/stacks/${stackId}`)).body;
      expect(stack.driftStatus).toBe("in_sync");
      expect(stack.driftCheckedAt).toEqual(drift.latest.checkedAt);
    },
    ENGINE_TEST_TIMEOUT,
  );

  it(
    "names exactly the role's connection limit changed behind its back, and remediation restores it",
    async () => {
      await admin(`ALTER ROLE "${database}" CONNECTION LIMIT 3`);
      await request(stackId, "drift-check");
      const drift = await latestReport(stackId);
      expect(drift.driftStatus).toBe("drifted");
      expect(drift.latest.resources).toEqual([
        {
          urn: expect.stringContaining("owner"),
          type: ROLE,
          change: "changed",
          properties: [{ name: "connectionLimit", expected: 5, actual: 3 }],
        },
      ]);
      expect(JSON.stringify(drift)).not.toContain(password);

      const fleet = await gantry.call("GET", "/v1/drift");
      expect(fleet.status).toBe(200);
      expect(fleet.body.counts.drifted).toBeGreaterThanOrEqual(1);
      expect(fleet.body.drifted.find((d: { stack: { id: string } }) => d.stack.id === stackId)).toMatchObject(
        {
          resources: drift.latest.resources,
        },
      );

      const remediation = await request(stackId, "remediate");
      // The preview's plan, kept on the operation: the role's connection limit goes back, nothing else.
      expect(remediation.diff).toEqual([
        expect.objectContaining({
          type: ROLE,
          op: "update",
          properties: [expect.objectContaining({ path: "connectionLimit", after: 5 })],
        }),
      ]);
      expect(await catalog()).toEqual({ role: 5, database: 5 });
      expect((await latestReport(stackId)).driftStatus).toBe("in_sync");

      await request(stackId, "drift-check");
      expect((await latestReport(stackId)).latest).toMatchObject({ status: "in_sync", resources: [] });
    },
    ENGINE_TEST_TIMEOUT,
  );

  it(
    "reports a dropped database as deleted, and remediation recreates it",
    async () => {
      await admin(`DROP DATABASE "${database}" WITH (FORCE)`);
      await request(stackId, "drift-check");
      const drift = await latestReport(stackId);
      expect(drift.latest.status).toBe("drifted");
      expect(drift.latest.resources).toEqual([
        { urn: expect.stringContaining("database"), type: DATABASE, change: "deleted", properties: [] },
      ]);

      const remediation = await request(stackId, "remediate");
      expect(remediation.summary.create).toBe(1);
      expect(await catalog()).toEqual({ role: 5, database: 5 });
      await request(stackId, "drift-check");
      expect((await latestReport(stackId)).latest.status).toBe("in_sync");
    },
    ENGINE_TEST_TIMEOUT,
  );

  it(
    "auto-remediates what replaces or deletes nothing",
    async () => {
      const settings = await gantry.call("PUT", `/v1/stacks/${stackId}/drift-settings`, {
        autoRemediate: true,
      });
      expect(settings.body).toEqual({ intervalSeconds: null, autoRemediate: true });
      await admin(`ALTER DATABASE "${database}" CONNECTION LIMIT 2`);
      await request(stackId, "drift-check");
      const report = (await latestReport(stackId)).latest;
      expect(report.resources).toEqual([
        expect.objectContaining({
          type: DATABASE,
          properties: [{ name: "connectionLimit", expected: 5, actual: 2 }],
        }),
      ]);
      expect(report.remediation).toMatchObject({ decision: "remediate", operationId: expect.any(String) });
      const auto = await succeeded(report.remediation.operationId);
      expect(auto).toMatchObject({ kind: "remediate", requestedBy: "auto-remediation" });
      expect(await catalog()).toEqual({ role: 5, database: 5 });
    },
    ENGINE_TEST_TIMEOUT,
  );

  it(
    "never runs a drift check and an up of one stack at once",
    async () => {
      const [check, up] = await Promise.all([
        gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind: "drift-check" }),
        gantry.call("PATCH", `/v1/stacks/${stackId}`, { spec: { connectionLimit: 6 } }),
      ]);
      expect([check.status, up.status]).toEqual([202, 202]);
      const ops = [await succeeded(check.body.operation.id), await succeeded(up.body.operation.id)];
      const [first, second] = ops.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
      expect(Date.parse(first.finishedAt)).toBeLessThanOrEqual(Date.parse(second.startedAt));
      expect(await catalog()).toEqual({ role: 6, database: 6 });
    },
    ENGINE_TEST_TIMEOUT,
  );

  it("refuses checks to viewers and answers 404 for unknown stacks", async () => {
    const asViewer = await gantry.call(
      "POST",
      `/v1/stacks/${stackId}/operations`,
      { kind: "drift-check" },
      gantry.viewerToken,
    );
    expect(asViewer.status).toBe(403);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await gantry.call("GET", `/v1/stacks/${unknown}/drift`)).status).toBe(404);
    expect(
      (await gantry.call("POST", `/v1/stacks/${unknown}/operations`, { kind: "drift-check" })).status,
    ).toBe(404);
    const bad = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind: "explode" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: expect.any(String), message: expect.stringMatching(/kind/) });
  });

  it("sent signed webhooks for drift detected, drift resolved and finished operations, retrying refusals", async () => {
    await vi.waitFor(
      () => {
        expect(deliveriesOf("drift.detected", stackId).length).toBeGreaterThanOrEqual(3);
        expect(deliveriesOf("drift.resolved", stackId).length).toBeGreaterThanOrEqual(3);
        expect(deliveriesOf("operation.finished", stackId).length).toBeGreaterThanOrEqual(10);
      },
      { timeout: 30_000, interval: 100 },
    );
    // Each delivery arrived once more after its refusal, and only once.
    const ids = deliveries.map((d) => d.json.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const delivery of deliveries) {
      const now = delivery.receivedAt;
      expect(verifySignature(webhookSecret, delivery.body, delivery.signature, { now })).toBe(true);
      expect(verifySignature("another-secret-entirely", delivery.body, delivery.signature, { now })).toBe(
        false,
      );
      expect(delivery.body).not.toContain(password);
      expect(delivery.body).not.toContain(webhookSecret);
    }
    const detected = deliveriesOf("drift.detected", stackId)[0];
    expect(detected?.json.report.resources[0]).toMatchObject({ type: ROLE, change: "changed" });
    const finished = deliveriesOf("operation.finished", stackId).find(
      (d) => d.json.operation.kind === "remediate",
    );
    expect(finished?.json.operation).toMatchObject({ status: "succeeded" });
  });
});
