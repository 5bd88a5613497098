// /v1/tokens: admins create (shown once), list (never hashes) and revoke their team's tokens.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTeam, expectErrorShape, type TestTeam, useApi } from "./support.ts";

const { api, team } = useApi("tokens");
let other: TestTeam;

beforeAll(async () => {
  other = await createTeam(api.db, "tokens-other");
});

const create = (body: unknown, token = team.tokens.admin) =>
  call(api.app, "POST", "/v1/tokens", { token, body });

describe("/v1/tokens", () => {
  it("creates a token that works, shows it once and lists it without its hash", async () => {
    const created = await create({ role: "operator", name: "ci-deploy", expiresInDays: 30 });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^gnt_[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(created.body.token.slice(0, 12));
    expect(created.body).toMatchObject({ role: "operator", name: "ci-deploy", revokedAt: null });
    expect(new Date(created.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const used = await call(api.app, "GET", "/v1/stacks", { token: created.body.token });
    expect(used.status).toBe(200);

    const listed = await call(api.app, "GET", "/v1/tokens", { token: team.tokens.admin });
    expect(listed.status).toBe(200);
    const row = listed.body.tokens.find((t: { id: string }) => t.id === created.body.id);
    expect(row).toMatchObject({ prefix: created.body.prefix, role: "operator", name: "ci-deploy" });
    expect(row.lastUsedAt).not.toBeNull();
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(created.body.token);
    expect(text).not.toMatch(/hash|[0-9a-f]{64}/);
    // Only the team's own tokens.
    expect(listed.body.tokens).toHaveLength(4);
  });

  it("accepts an expiry time and refuses one in the past or both forms at once", async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const ok = await create({ role: "viewer", expiresAt: at });
    expect(ok.status).toBe(201);
    expect(ok.body.expiresAt).toBe(at);
    const past = await create({ role: "viewer", expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(422);
    expect(past.body.message).toBe("expiresAt: must be in the future");
    const both = await create({ role: "viewer", expiresAt: at, expiresInDays: 2 });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/either expiresInDays or expiresAt/);
    const unknownRole = await create({ role: "root" });
    expect(unknownRole.status).toBe(400);
    expectErrorShape(unknownRole.body);
  });

  it("revokes a token: it answers 401 saying so, and revoking again keeps the first time", async () => {
    const created = await create({ role: "admin" });
    const revoked = await call(api.app, "DELETE", `/v1/tokens/${created.body.id}`, {
      token: team.tokens.admin,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await call(api.app, "GET", "/v1/stacks", { token: created.body.token });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe("the bearer token has been revoked");
    const again = await call(api.app, "DELETE", `/v1/tokens/${created.body.id}`, {
      token: team.tokens.admin,
    });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it("answers 404 for another team's token, exactly like a missing one", async () => {
    const theirs = await create({ role: "viewer" }, other.tokens.admin);
    const res = await call(api.app, "DELETE", `/v1/tokens/${theirs.body.id}`, { token: team.tokens.admin });
    expect(res.status).toBe(404);
    const missing = await call(api.app, "DELETE", "/v1/tokens/00000000-0000-4000-8000-000000000000", {
      token: team.tokens.admin,
    });
    expect(missing.status).toBe(404);
    expect(await call(api.app, "GET", "/v1/stacks", { token: theirs.body.token })).toMatchObject({
      status: 200,
    });
  });

  it("is for admins only", async () => {
    for (const role of ["viewer", "operator"] as const) {
      expect((await create({ role: "viewer" }, team.tokens[role])).status).toBe(403);
      expect((await call(api.app, "GET", "/v1/tokens", { token: team.tokens[role] })).status).toBe(403);
    }
  });
});
