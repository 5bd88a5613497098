// Operations of every kind through the REST API with the real worker and engine: previews with
// their plan, history, roles, Idempotency-Key, cancel (queued and running) and live event streams.
// Runs are held mid-way by holding the stack's role in Postgres (held-run.ts), never by sleeping.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventStream } from "./event-stream-client.ts";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { heldUp } from "./held-run.ts";
import { connectionLimitOf } from "./pg-server.ts";

let gantry: Gantry;
let stack: { id: string; role: string };

const name = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;
const operate = (
  kind: string,
  extra: Record<string, unknown> = {},
  token?: string,
  headers?: Record<string, string>,
) => gantry.call("POST", `/v1/stacks/${stack.id}/operations`, { kind, ...extra }, token, headers);

beforeAll(async () => {
  gantry = await startGantry({ WORKER_CONCURRENCY: "2" });
  stack = await gantry.readyDatabase(name("ops"), { connectionLimit: 5 });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
});

describe("operations on a stack", () => {
  it("previews a change: the plan names each resource and property, and nothing changes", async () => {
    const accepted = await operate("preview", { spec: { connectionLimit: 9 } });
    expect(accepted.status).toBe(202);
    expect(accepted.body.operation.kind).toBe("preview");
    const op = await expectSucceeded(gantry, accepted.body.operation.id);

    expect(op.summary).toMatchObject({ update: 2, create: 0, delete: 0, replace: 0 });
    const role = op.diff.find((change: { type: string }) => change.type.endsWith(":Role"));
    expect(role).toMatchObject({ op: "update" });
    expect(role.properties).toEqual([{ path: "connectionLimit", change: "update", before: 5, after: 9 }]);
    // A preview applies nothing and stores nothing: the role and the stored spec are as they were.
    expect(await connectionLimitOf(stack.role)).toBe(5);
    expect((await gantry.call("GET", `/v1/stacks/${stack.id}`)).body.spec.connectionLimit).toBe(5);
  });

  it("refreshes, and lists the stack's history newest first with filters and pages", async () => {
    await expectSucceeded(gantry, (await operate("refresh")).body.operation.id);

    const all = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?limit=2`);
    expect(all.status).toBe(200);
    expect(all.body.operations.map((op: { kind: string }) => op.kind)).toEqual(["refresh", "preview"]);
    const rest = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?cursor=${all.body.nextCursor}`);
    expect(rest.body.operations.map((op: { kind: string }) => op.kind)).toEqual(["up"]);
    expect(rest.body.nextCursor).toBeNull();

    const previews = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?kind=preview`);
    expect(previews.body.operations).toHaveLength(1);
  });

  it("lets operators preview and refresh but keeps destroy and remediate for admins", async () => {
    for (const kind of ["destroy", "remediate"]) {
      const refused = await operate(kind, {}, gantry.operatorToken);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(
        `a ${kind} operation needs the admin role; the token has the operator role`,
      );
    }
    expect((await operate("preview", {}, gantry.viewerToken)).status).toBe(403);
    const accepted = await operate("preview", {}, gantry.operatorToken);
    expect(accepted.status).toBe(202);
    await expectSucceeded(gantry, accepted.body.operation.id);
    expect((await operate("refresh", { spec: { connectionLimit: 3 } })).status).toBe(422);
  });

  it("answers a repeated request with an Idempotency-Key with the first answer", async () => {
    const key = { "idempotency-key": `refresh-${randomBytes(6).toString("hex")}` };
    const first = await operate("refresh", {}, undefined, key);
    const again = await operate("refresh", {}, undefined, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.operation.id).toBe(first.body.operation.id);

    const other = await operate("preview", {}, undefined, key);
    expect(other.status).toBe(422);
    expect(other.body.error).toBe("idempotency_key_reused");
    await expectSucceeded(gantry, first.body.operation.id);
    const refreshes = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?kind=refresh`);
    expect(refreshes.body.operations).toHaveLength(2); // the earlier test's and this one, once
  });

  it("cancels a queued operation at once and a running one gracefully; the stack stays usable", async () => {
    const { hold, operationId: running } = await heldUp(gantry, stack, 7);
    const queued = (await operate("preview")).body.operation.id;

    const cancelledQueued = await gantry.call("POST", `/v1/operations/${queued}/cancel`);
    expect(cancelledQueued.status).toBe(202);
    expect(cancelledQueued.body.status).toBe("cancelled");

    const cancelling = await gantry.call("POST", `/v1/operations/${running}/cancel`);
    expect(cancelling.status).toBe(202);
    expect(cancelling.body).toMatchObject({ status: "running", cancelRequested: true });
    await hold.release();
    const op = await gantry.finished(running);
    expect(op.status).toBe("cancelled");
    expect(op.error.message).toMatch(/cancelled while running/);
    expect((await gantry.call("POST", `/v1/operations/${running}/cancel`)).status).toBe(409);

    const again = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 8 } });
    await expectSucceeded(gantry, again.body.operation.id);
    expect(await connectionLimitOf(stack.role)).toBe(8);
  });

  it("streams a running operation's events live, and a reconnect with Last-Event-ID misses and repeats none", async () => {
    const { hold, operationId } = await heldUp(gantry, stack, 6);
    const url = `${gantry.baseUrl}/v1/operations/${operationId}/events`;
    const auth = { authorization: `Bearer ${gantry.viewerToken}` };

    // Attached mid-run: the events so far, then the client leaves while the run is held.
    const before = await readEventStream(
      url,
      auth,
      (event) => event.event === "engine" && Number(event.id) >= 2,
    );
    await hold.release();
    const lastId = before.at(-1)?.id ?? "0";
    const after = await readEventStream(url, { ...auth, "last-event-id": lastId });

    expect(after.at(-1)).toMatchObject({ event: "end", data: JSON.stringify({ status: "succeeded" }) });
    const seqs = [...before, ...after].filter((e) => e.event === "engine").map((e) => Number(e.id));
    const stored = await gantry.call("GET", `/v1/operations/${operationId}/events?limit=1000`);
    expect(stored.body.finished).toBe(true);
    expect(seqs).toEqual(stored.body.events.map((e: { seq: number }) => e.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(stored.body.events.map((e: { type: string }) => e.type)).toContain("summary");
  });
});
