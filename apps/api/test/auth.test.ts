// Bearer tokens and roles. The route × role checks are generated from the app's access table, so a
// new route is covered the moment it exists.
import { ROLES } from "@gantry/core";
import { describe, expect, it } from "vitest";
import { hasRole } from "../src/auth/roles.ts";
import { hashToken } from "../src/auth/tokens.ts";
import { createTokensService } from "../src/auth/tokens-service.ts";
import { call, expectErrorShape, unique, useApi } from "./support.ts";

const { api, team } = useApi("auth");

const listStacks = (headers: Record<string, string>) => call(api.app, "GET", "/v1/stacks", { headers });

describe("authentication", () => {
  it("accepts a valid token and records when it was used", async () => {
    const res = await listStacks({ authorization: `Bearer ${team.tokens.viewer}` });
    expect(res.status).toBe(200);
    const row = await api.db.apiToken.findUniqueOrThrow({ where: { hash: hashToken(team.tokens.viewer) } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("stores only the hash and a short prefix", async () => {
    const row = await api.db.apiToken.findUniqueOrThrow({ where: { hash: hashToken(team.tokens.admin) } });
    expect(row.prefix).toBe(team.tokens.admin.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(team.tokens.admin);
    expect(team.tokens.admin).toMatch(/^gnt_[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ["no header", {}, /missing Authorization/],
    ["another scheme", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }, /Bearer/],
    ["a malformed token", { authorization: "Bearer gnt_nope" }, /not a Gantry token/],
    ["an unknown token", { authorization: `Bearer gnt_${"A".repeat(43)}` }, /not valid/],
  ])("answers 401 with %s", async (_label, headers, message) => {
    const res = await listStacks(headers as Record<string, string>);
    expect(res.status).toBe(401);
    expectErrorShape(res.body);
    expect(res.body.error).toBe("unauthorized");
    expect(res.body.message).toMatch(message);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("answers 401 for a revoked token", async () => {
    const tokens = createTokensService({ db: api.db });
    const created = await tokens.create({ teamName: team.name, role: "admin" });
    expect(await tokens.revoke(created.prefix)).toBe(true);
    const res = await listStacks({ authorization: `Bearer ${created.token}` });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/revoked/);
  });

  it("answers 401 for an expired token", async () => {
    const past = new Date(Date.now() - 2 * 86_400_000);
    const created = await createTokensService({ db: api.db, now: () => past }).create({
      teamName: team.name,
      role: "admin",
      expiresInDays: 1,
    });
    const res = await listStacks({ authorization: `Bearer ${created.token}` });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/expired/);
  });
});

describe("authorization", () => {
  it("every route declares its access; only ops and docs routes are public", () => {
    const table = api.app.accessTable;
    expect(table.length).toBeGreaterThan(10);
    const publicRoutes = table.filter((r) => r.access === "public").map((r) => r.url);
    for (const url of publicRoutes) expect(url).toMatch(/^\/(healthz|readyz|openapi\.json|docs)/);
    expect(table.filter((r) => r.url.startsWith("/v1/")).every((r) => r.access !== "public")).toBe(true);
  });

  it("checks the role of every /v1 route before anything else", async () => {
    const routes = api.app.accessTable.filter((r) => r.url.startsWith("/v1/") && r.method !== "HEAD");
    for (const route of routes) {
      const url = route.url.replace(":id", "00000000-0000-4000-8000-000000000000");
      const anonymous = await call(api.app, route.method, url, {
        body: route.method === "GET" ? undefined : {},
      });
      expect(anonymous.status, `${route.method} ${route.url} without a token`).toBe(401);
      for (const role of ROLES) {
        const res = await call(api.app, route.method, url, {
          token: team.tokens[role],
          body: route.method === "GET" || route.method === "DELETE" ? undefined : {},
        });
        const label = `${route.method} ${route.url} as ${role}`;
        if (route.access !== "public" && !hasRole(role, route.access)) expect(res.status, label).toBe(403);
        else expect(res.status, label).not.toBe(403);
        expectErrorShape(res.status < 300 ? { error: "", message: "", requestId: "" } : res.body);
      }
    }
  });

  it("records who asked on the operation", async () => {
    const res = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.admin,
      body: { kind: "pg-database", name: unique("who"), spec: {} },
    });
    expect(res.body.operation.requestedBy).toBe(`${team.tokens.admin.slice(0, 12)} (admin token)`);
  });
});
