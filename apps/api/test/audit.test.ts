// The audit log: every mutating route, every reveal and every token change is recorded with who,
// team, what, target, result and request id (refusals too, when the token is known); admins read
// their own team's log, filtered and paginated.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { derivedAction } from "../src/audit/audit-plugin.ts";
import { createAuditService, type NewAuditEntry } from "../src/audit/audit-service.ts";
import { call, createTeam, type TestTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("audit");
let other: TestTeam;
const ZERO_ID = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  other = await createTeam(api.db, "audit-other");
});

const auditOf = (requestId: string) => api.db.auditEntry.findFirst({ where: { requestId } });
const prefix = (token: string) => token.slice(0, 12);

describe("audit entries", () => {
  it("are written for every mutating route of the access table, whatever the answer", async () => {
    const mutating = api.app.accessTable.filter(
      (r) => r.url.startsWith("/v1/") && ["POST", "PATCH", "PUT", "DELETE"].includes(r.method),
    );
    expect(mutating.length).toBeGreaterThanOrEqual(5);
    for (const route of mutating) {
      const res = await call(api.app, route.method, route.url.replace(":id", ZERO_ID), {
        token: team.tokens.admin,
        body: route.method === "DELETE" ? undefined : {},
      });
      const entry = await auditOf(res.headers["x-request-id"] as string);
      expect(entry, `${route.method} ${route.url}`).toMatchObject({
        teamId: team.id,
        actor: prefix(team.tokens.admin),
        role: "admin",
        method: route.method,
        route: route.url,
        statusCode: res.status,
      });
    }
  });

  it("record a stack's creation with its id as target and the result", async () => {
    const name = unique("audited");
    const res = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "pg-database", name, spec: { connectionLimit: 3 } },
    });
    expect(res.status).toBe(202);
    const entry = await auditOf(res.headers["x-request-id"] as string);
    expect(entry).toMatchObject({
      action: "stack.create",
      targetId: res.body.stack.id,
      result: "ok",
      statusCode: 202,
      actor: prefix(team.tokens.operator),
      role: "operator",
    });
    expect(entry?.ip).toBeTruthy();
    // Never the body: nothing of the request but its route is stored.
    expect(JSON.stringify(entry)).not.toContain(name);
  });

  it("record refusals: a role too low, a revoked token", async () => {
    const denied = await call(api.app, "DELETE", `/v1/stacks/${ZERO_ID}`, { token: team.tokens.operator });
    expect(denied.status).toBe(403);
    expect(await auditOf(denied.headers["x-request-id"] as string)).toMatchObject({
      action: "stack.destroy",
      result: "denied",
      role: "operator",
      targetId: ZERO_ID,
    });

    const created = await call(api.app, "POST", "/v1/tokens", {
      token: team.tokens.admin,
      body: { role: "operator" },
    });
    await call(api.app, "DELETE", `/v1/tokens/${created.body.id}`, { token: team.tokens.admin });
    const revoked = await call(api.app, "POST", "/v1/stacks", {
      token: created.body.token,
      body: { kind: "pg-database", name: unique("x"), spec: {} },
    });
    expect(revoked.status).toBe(401);
    expect(await auditOf(revoked.headers["x-request-id"] as string)).toMatchObject({
      teamId: team.id,
      actor: created.body.prefix,
      result: "denied",
      statusCode: 401,
    });
  });

  it("record reveals (not plain reads) and token changes", async () => {
    const read = await call(api.app, "GET", `/v1/stacks/${ZERO_ID}/outputs`, { token: team.tokens.admin });
    expect(await auditOf(read.headers["x-request-id"] as string)).toBeNull();
    const reveal = await call(api.app, "GET", `/v1/stacks/${ZERO_ID}/outputs?reveal=true`, {
      token: team.tokens.viewer,
    });
    expect(reveal.status).toBe(403);
    expect(await auditOf(reveal.headers["x-request-id"] as string)).toMatchObject({
      action: "stack.reveal",
      result: "denied",
    });
    const created = await call(api.app, "POST", "/v1/tokens", {
      token: team.tokens.admin,
      body: { role: "viewer" },
    });
    expect(await auditOf(created.headers["x-request-id"] as string)).toMatchObject({
      action: "token.create",
      targetId: created.body.prefix,
    });
    expect(JSON.stringify(await api.db.auditEntry.findMany())).not.toContain(created.body.token);
  });
});

describe("derived actions", () => {
  it("name a route without its own action by its path, and an operation request by its kind", () => {
    expect(derivedAction("POST", "/v1/operations/:id/cancel")).toBe("operations.cancel.post");
    expect(derivedAction("POST", "/v1/stacks/:id/operations", { kind: "destroy" })).toBe("stack.destroy");
    expect(derivedAction("POST", "/v1/stacks/:id/operations", { kind: "nonsense" })).toBe(
      "stacks.operations.post",
    );
    expect(derivedAction("POST", "/v1/stacks/:id/operations", null)).toBe("stacks.operations.post");
  });
});

describe("GET /v1/audit", () => {
  it("shows admins their own team's entries, filtered and paginated", async () => {
    const all = await call(api.app, "GET", "/v1/audit?limit=200", { token: team.tokens.admin });
    expect(all.status).toBe(200);
    expect(all.body.entries.length).toBeGreaterThan(5);
    expect(all.body.entries.every((e: { actor: string }) => e.actor.startsWith("gnt_"))).toBe(true);
    expect(JSON.stringify(all.body)).not.toContain(prefix(other.tokens.admin));

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await call(api.app, "GET", `/v1/audit?limit=3${query}`, { token: team.tokens.admin });
      pages.push(...page.body.entries.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.body.entries.map((e: { id: string }) => e.id));

    const creates = await call(api.app, "GET", "/v1/audit?action=stack.create", { token: team.tokens.admin });
    expect(creates.body.entries.length).toBeGreaterThan(0);
    expect(creates.body.entries.every((e: { action: string }) => e.action === "stack.create")).toBe(true);
    const byActor = await call(api.app, "GET", `/v1/audit?actor=${prefix(team.tokens.operator)}`, {
      token: team.tokens.admin,
    });
    expect(
      byActor.body.entries.every((e: { actor: string }) => e.actor === prefix(team.tokens.operator)),
    ).toBe(true);
    const target = await call(api.app, "GET", `/v1/audit?target=${ZERO_ID}`, { token: team.tokens.admin });
    expect(target.body.entries.length).toBeGreaterThan(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await call(api.app, "GET", `/v1/audit?from=${encodeURIComponent(future)}`, {
      token: team.tokens.admin,
    });
    expect(none.body.entries).toEqual([]);
    const upTo = await call(api.app, "GET", `/v1/audit?to=${encodeURIComponent(future)}&limit=200`, {
      token: team.tokens.admin,
    });
    expect(upTo.body.entries.length).toBe(all.body.entries.length);
  });

  it("is for admins only, and refuses a bad cursor", async () => {
    expect((await call(api.app, "GET", "/v1/audit", { token: team.tokens.operator })).status).toBe(403);
    const bad = await call(api.app, "GET", "/v1/audit?cursor=nope", { token: team.tokens.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe("cursor: is not a cursor from a previous page");
  });

  it("written together are one statement, and one that cannot be written fails alone", async () => {
    const audit = createAuditService({ db: api.db });
    const entry = (requestId: string, actor = "gnt_batch"): NewAuditEntry => ({
      teamId: team.id,
      actor,
      role: "admin",
      action: "test.batch",
      method: "POST",
      route: "/v1/test",
      targetId: null,
      requestId,
      statusCode: 202,
      result: "ok",
      ip: "127.0.0.1",
    });
    const written = (ids: string[]) => api.db.auditEntry.findMany({ where: { requestId: { in: ids } } });
    const query = vi.spyOn(api.db.pool, "query");

    const together = [unique("req"), unique("req"), unique("req")];
    await Promise.all(together.map((id) => audit.record(entry(id))));
    expect(query).toHaveBeenCalledTimes(1);
    const rows = await written(together);
    expect(rows.map((row) => row.requestId).sort()).toEqual([...together].sort());
    expect(rows[0]).toMatchObject({ teamId: team.id, actor: "gnt_batch", statusCode: 202, ip: "127.0.0.1" });

    // An actor longer than its column: that entry's record fails, the others are written.
    const [good, bad] = [unique("req"), unique("req")];
    const results = await Promise.allSettled([
      audit.record(entry(good)),
      audit.record(entry(bad, "x".repeat(17))),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected"]);
    expect((await written([good, bad])).map((row) => row.requestId)).toEqual([good]);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
