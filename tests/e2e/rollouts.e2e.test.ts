// Blueprint versions and fleet rollouts end to end (README, Rollouts): the real API, worker and
// engine on 12 pg-database stacks. A rollout to pg-database v2 in three waves (1, 10%, the rest)
// previews every stack, applies wave by wave, pauses when one stack's update fails, resumes once
// the cause is fixed and ends with every stack on v2; webhooks hear of the pause (with its
// reason), the resume, the end and a cancellation. (A rollout's time against 12 separate ups is
// the benchmark's figure 8, bench/figures/rollout.ts.)
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../support/wait.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin } from "./pg-server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

let gantry: Gantry;
let receiver: WebhookReceiver;
const suffix = randomBytes(3).toString("hex");
const names = Array.from({ length: 12 }, (_, i) => `ro-${suffix}-${String(i).padStart(2, "0")}`);
const ids: string[] = [];
const databases: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gantry = await startGantry({
    GANTRY_ROLLOUT_TICK_SECONDS: "1",
    WORKER_CONCURRENCY: "4",
    GANTRY_WEBHOOK_URLS: receiver.url,
    GANTRY_WEBHOOK_SECRET: randomBytes(16).toString("hex"),
  });
}, 120_000);

afterAll(async () => {
  await gantry?.stop();
  receiver?.close();
});

/** The deliveries of a rollout's event so far, once there is at least one. */
const delivered = (event: string, rolloutId: string) =>
  waitUntil(
    () => {
      const found = receiver.deliveries.filter((d) => d.event === event && d.rollout?.id === rolloutId);
      return found.length > 0 ? found : undefined;
    },
    { timeout: 30_000, what: `the ${event} webhook of rollout ${rolloutId}` },
  );

const call = (method: string, path: string, body?: unknown) => gantry.call(method, path, body);
const commentOf = async (database: string) =>
  (
    await admin<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [database],
    )
  )[0]?.comment;
const rolloutUntil = (id: string, statuses: string[], timeout = 800_000) =>
  waitUntil(
    async () => {
      const { body } = await call("GET", `/v1/rollouts/${id}`);
      return statuses.includes(body.status) ? body : undefined;
    },
    { timeout, interval: 250, what: `rollout ${id} to be ${statuses.join(" or ")}` },
  );

describe("blueprint versions and fleet rollouts", () => {
  it("creates stacks on the version asked for, and an up keeps the version its stack has", async () => {
    const kinds = (await call("GET", "/v1/kinds")).body.kinds;
    const pg = kinds.find((k: { name: string }) => k.name === "pg-database");
    expect(pg.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const created = await Promise.all(
      names.map((name) =>
        call("POST", "/v1/stacks", { kind: "pg-database", name, spec: {}, blueprintVersion: 1 }),
      ),
    );
    for (const answer of created) {
      expect(answer.status).toBe(202);
      expect(answer.body.operation.blueprintVersion).toBe(1);
      ids.push(answer.body.stack.id);
    }
    for (const answer of created) {
      const op = await gantry.finished(answer.body.operation.id);
      expect(op.status, JSON.stringify(op.error)).toBe("succeeded");
    }
    for (const id of ids) {
      const stack = (await call("GET", `/v1/stacks/${id}`)).body;
      expect(stack.blueprintVersion).toBe(1);
      databases.push(stack.outputs.database);
    }
    expect(await commentOf(databases[0] ?? "")).toBeNull();

    const patched = await call("PATCH", `/v1/stacks/${ids[0]}`, { spec: { connectionLimit: 6 } });
    expect(patched.body.operation.blueprintVersion).toBe(1);
    expect((await gantry.finished(patched.body.operation.id)).status).toBe("succeeded");
    expect((await call("GET", `/v1/stacks/${ids[0]}`)).body.blueprintVersion).toBe(1);
    expect(await commentOf(databases[0] ?? "")).toBeNull();
  }, 900_000);

  it("rolls v2 out in three waves, pauses on a failed update, resumes once it is fixed, ends with all on v2", async () => {
    // The cause of the failure: stack 02's database dropped behind Gantry's back (its update fails).
    const broken = databases[2] ?? "";
    await admin(`DROP DATABASE "${broken}" WITH (FORCE)`);

    const started = await call("POST", "/v1/rollouts", {
      kind: "pg-database",
      targetVersion: "latest",
      waves: [1, "10%", "100%"],
      stacks: names,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const rolloutId = started.body.id;
    expect(started.body).toMatchObject({ targetVersion: 2, waves: [1, 2, 9], status: "previewing" });
    expect(started.body.stacks.map((s: { wave: number }) => s.wave)).toEqual([0, 1, 1, ...Array(9).fill(2)]);

    const paused = await rolloutUntil(rolloutId, ["paused", "succeeded", "cancelled"]);
    expect(paused.status).toBe("paused");
    expect(paused.pausedReason).toMatch(new RegExp(`the up of ${names[2]} ended failed`));
    expect(paused.currentWave).toBe(1);
    const [pausedHook] = await delivered("rollout.paused", rolloutId);
    expect(pausedHook.reason).toBe(paused.pausedReason);
    expect(pausedHook.rollout).toMatchObject({
      kind: "pg-database",
      targetVersion: 2,
      team: { name: gantry.teamName },
    });
    const state = (name: string) => paused.stacks.find((s: { name: string }) => s.name === name)?.state;
    expect(state(names[0] ?? "")).toBe("succeeded");
    expect(state(names[2] ?? "")).toBe("failed");
    // Every stack was previewed first; the last wave has not been touched.
    for (const name of names.slice(3)) expect(state(name)).toBe("previewed");
    expect((await call("GET", `/v1/stacks/${ids[0]}`)).body.blueprintVersion).toBe(2);
    expect((await call("GET", `/v1/stacks/${ids[5]}`)).body.blueprintVersion).toBe(1);
    expect(await commentOf(databases[5] ?? "")).toBeNull();
    expect((await call("POST", `/v1/rollouts/${rolloutId}/pause`)).status).toBe(409);

    // The fix: put the stack right (a refresh, then an up on its own version, v1), then resume.
    const fix = await call("POST", `/v1/stacks/${ids[2]}/operations`, { kind: "remediate" });
    expect(fix.status).toBe(202);
    expect((await gantry.finished(fix.body.operation.id)).status).toBe("succeeded");
    expect(await commentOf(broken)).toBeNull(); // it exists again, on v1
    const resumed = await call("POST", `/v1/rollouts/${rolloutId}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe("running");
    const [resumedHook] = await delivered("rollout.resumed", rolloutId);
    expect(resumedHook.by).toMatch(/^gnt_/);

    const done = await rolloutUntil(rolloutId, ["succeeded", "paused", "cancelled"]);
    expect(done.status, done.pausedReason).toBe("succeeded");
    expect(done.progress).toEqual({ succeeded: 12 });
    for (const [index, id] of ids.entries()) {
      expect((await call("GET", `/v1/stacks/${id}`)).body.blueprintVersion).toBe(2);
      expect(await commentOf(databases[index] ?? "")).toMatch(/pg-database blueprint v2/);
    }
    const list = (await call("GET", "/v1/rollouts")).body.rollouts;
    expect(list[0]).toMatchObject({ id: rolloutId, status: "succeeded" });
    const finished = await delivered("rollout.finished", rolloutId);
    expect(finished).toHaveLength(1);
    expect(finished[0].rollout).toMatchObject({ status: "succeeded", progress: { succeeded: 12 } });
    expect(receiver.deliveries.filter((d) => d.rollout?.id === rolloutId).map((d) => d.event)).toEqual([
      "rollout.paused",
      "rollout.resumed",
      "rollout.finished",
    ]);
  }, 900_000);

  it("announces a pause by a person and a cancellation to webhooks", async () => {
    // To the version the stack is not on (whichever the tests before left it on).
    const current = (await call("GET", `/v1/stacks/${ids[0]}`)).body.blueprintVersion;
    const started = await call("POST", "/v1/rollouts", {
      kind: "pg-database",
      targetVersion: current === 1 ? 2 : 1,
      stacks: [names[0]],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const rolloutId = started.body.id;
    const paused = await call("POST", `/v1/rollouts/${rolloutId}/pause`);
    expect(paused.status).toBe(200);
    const [pausedHook] = await delivered("rollout.paused", rolloutId);
    expect(pausedHook.reason).toMatch(/^paused by gnt_/);
    const cancelled = await call("POST", `/v1/rollouts/${rolloutId}/cancel`);
    expect(cancelled.status).toBe(200);
    const [cancelledHook] = await delivered("rollout.cancelled", rolloutId);
    expect(cancelledHook.by).toMatch(/^gnt_/);
    expect(cancelledHook.rollout).toMatchObject({ id: rolloutId, status: "cancelled" });
    expect(cancelledHook.rollout.finishedAt).toBeTruthy();
    // Each once (deliveries made moments apart may arrive in either order).
    const events = receiver.deliveries.filter((d) => d.rollout?.id === rolloutId).map((d) => d.event);
    expect(events.sort()).toEqual(["rollout.cancelled", "rollout.paused"]);
  });
});
