// The authorization matrix, generated from the app's access table: every route × every role × own
// team / other team / no token / expired token / revoked token. Each route needs an entry in
// ROUTES saying how to make a request the right role succeeds with; a route without one fails the
// suite, so a new route cannot be forgotten.
import { ROLES, type Role } from "@gantry/core";
import { beforeAll, describe, expect, it } from "vitest";
import { hasRole, ROLE_FOR_OPERATION } from "../src/auth/roles.ts";
import { createTokensService } from "../src/auth/tokens-service.ts";
import { call, createTeam, type TestTeam, unique, useApi } from "./support.ts";

interface Fixtures {
  /** A fresh stack of the own team (for requests that use one up, like DELETE). */
  freshStack(): Promise<{ id: string; operationId: string }>;
  stackId: string;
  operationId: string;
  freshTokenId(): Promise<string>;
  /** An operation of the own team awaiting approval, requested by someone else. */
  freshWaiting(): Promise<string>;
  /** A ready stack of the own team, on pg-database's latest blueprint version. */
  freshReadyStack(): Promise<string>;
  /** A rollout of the own team in this status. */
  freshRollout(status: "running" | "paused"): Promise<string>;
}

interface Probe {
  /** Path with ids filled in, query included. */
  url: string;
  body?: unknown;
}

interface Variant {
  /** Label in test names, e.g. the operation kind. */
  label?: string;
  /** Role the variant needs when it differs from the route's (e.g. `?reveal=true`, `{kind: "destroy"}`). */
  access?: Role;
  probe(f: Fixtures): Promise<Probe>;
  /** Another team's admin: `404` for the own team's resources, `scoped` for collection routes. */
  otherTeam: 404 | "scoped";
  /** The answer may name ids the other team itself sent (its audit log records its 404s). */
  echoesOwnRequests?: boolean;
}

const id = async (f: Fixtures) => f.stackId;
const ROUTES: Record<string, Variant[]> = {
  "GET /v1/kinds": [{ probe: async () => ({ url: "/v1/kinds" }), otherTeam: "scoped" }],
  "GET /v1/stacks": [{ probe: async () => ({ url: "/v1/stacks" }), otherTeam: "scoped" }],
  "POST /v1/stacks": [
    {
      probe: async () => ({ url: "/v1/stacks", body: { kind: "pg-database", name: unique("m"), spec: {} } }),
      otherTeam: "scoped",
    },
  ],
  "GET /v1/stacks/:id": [{ probe: async (f) => ({ url: `/v1/stacks/${await id(f)}` }), otherTeam: 404 }],
  "PATCH /v1/stacks/:id": [
    {
      probe: async (f) => ({ url: `/v1/stacks/${await id(f)}`, body: { spec: { connectionLimit: 7 } } }),
      otherTeam: 404,
    },
  ],
  "DELETE /v1/stacks/:id": [
    { probe: async (f) => ({ url: `/v1/stacks/${(await f.freshStack()).id}` }), otherTeam: 404 },
  ],
  "GET /v1/stacks/:id/outputs": [
    { probe: async (f) => ({ url: `/v1/stacks/${await id(f)}/outputs` }), otherTeam: 404 },
    {
      label: "reveal",
      access: "admin",
      probe: async (f) => ({ url: `/v1/stacks/${await id(f)}/outputs?reveal=true` }),
      otherTeam: 404,
    },
  ],
  "GET /v1/operations/:id": [
    { probe: async (f) => ({ url: `/v1/operations/${f.operationId}` }), otherTeam: 404 },
  ],
  "POST /v1/tokens": [
    { probe: async () => ({ url: "/v1/tokens", body: { role: "viewer" } }), otherTeam: "scoped" },
  ],
  "GET /v1/tokens": [{ probe: async () => ({ url: "/v1/tokens" }), otherTeam: "scoped" }],
  "DELETE /v1/tokens/:id": [
    { probe: async (f) => ({ url: `/v1/tokens/${await f.freshTokenId()}` }), otherTeam: 404 },
  ],
  "GET /v1/audit": [
    { probe: async () => ({ url: "/v1/audit?limit=200" }), otherTeam: "scoped", echoesOwnRequests: true },
  ],
  "GET /v1/policy": [{ probe: async () => ({ url: "/v1/policy" }), otherTeam: "scoped" }],
  // Routes of the operation lifecycle (issue 4) and drift (issue 5), ready for when they land.
  "POST /v1/stacks/:id/operations": (
    ["preview", "refresh", "up", "drift-check", "destroy", "remediate"] as const
  ).map((kind) => ({
    label: kind,
    access: ROLE_FOR_OPERATION[kind],
    probe: async (f: Fixtures) => ({
      url: `/v1/stacks/${(await f.freshStack()).id}/operations`,
      body: { kind },
    }),
    otherTeam: 404 as const,
  })),
  "GET /v1/stacks/:id/operations": [
    { probe: async (f) => ({ url: `/v1/stacks/${await id(f)}/operations` }), otherTeam: 404 },
  ],
  "GET /v1/operations/:id/events": [
    { probe: async (f) => ({ url: `/v1/operations/${f.operationId}/events` }), otherTeam: 404 },
  ],
  "POST /v1/operations/:id/cancel": [
    {
      probe: async (f) => ({ url: `/v1/operations/${(await f.freshStack()).operationId}/cancel` }),
      otherTeam: 404,
    },
  ],
  ...Object.fromEntries(
    (["approve", "reject"] as const).map((decision) => [
      `POST /v1/operations/:id/${decision}`,
      [
        {
          probe: async (f: Fixtures) => ({
            url: `/v1/operations/${await f.freshWaiting()}/${decision}`,
            body: { comment: "matrix" },
          }),
          otherTeam: 404 as const,
        },
      ],
    ]),
  ),
  // On fresh stacks: a protected one would hold back the destroys other probes make.
  ...Object.fromEntries(
    (["protect", "unprotect"] as const).map((verb) => [
      `POST /v1/stacks/:id/${verb}`,
      [
        {
          probe: async (f: Fixtures) => ({ url: `/v1/stacks/${(await f.freshStack()).id}/${verb}` }),
          otherTeam: 404 as const,
        },
      ],
    ]),
  ),
  "POST /v1/stacks/:id/extend": [
    {
      probe: async (f) => ({ url: `/v1/stacks/${await id(f)}/extend`, body: { ttl: 3600 } }),
      otherTeam: 404,
    },
  ],
  "POST /v1/rollouts": [
    {
      probe: async (f) => ({
        url: "/v1/rollouts",
        body: { kind: "pg-database", targetVersion: 1, stacks: [await f.freshReadyStack()] },
      }),
      otherTeam: 404,
    },
  ],
  "GET /v1/rollouts": [{ probe: async () => ({ url: "/v1/rollouts" }), otherTeam: "scoped" }],
  "GET /v1/rollouts/:id": [
    { probe: async (f) => ({ url: `/v1/rollouts/${await f.freshRollout("running")}` }), otherTeam: 404 },
  ],
  "POST /v1/rollouts/:id/pause": [
    {
      probe: async (f) => ({ url: `/v1/rollouts/${await f.freshRollout("running")}/pause` }),
      otherTeam: 404,
    },
  ],
  "POST /v1/rollouts/:id/resume": [
    {
      probe: async (f) => ({ url: `/v1/rollouts/${await f.freshRollout("paused")}/resume` }),
      otherTeam: 404,
    },
  ],
  "POST /v1/rollouts/:id/cancel": [
    {
      probe: async (f) => ({ url: `/v1/rollouts/${await f.freshRollout("running")}/cancel` }),
      otherTeam: 404,
    },
  ],
  "GET /v1/expiring": [{ probe: async () => ({ url: "/v1/expiring" }), otherTeam: "scoped" }],
  "GET /v1/stacks/:id/drift": [
    { probe: async (f) => ({ url: `/v1/stacks/${await id(f)}/drift` }), otherTeam: 404 },
  ],
  "GET /v1/drift": [{ probe: async () => ({ url: "/v1/drift" }), otherTeam: "scoped" }],
  "PUT /v1/stacks/:id/drift-settings": [
    {
      probe: async (f) => ({
        url: `/v1/stacks/${await id(f)}/drift-settings`,
        body: { intervalSeconds: 3600 },
      }),
      otherTeam: 404,
    },
    {
      label: "autoRemediate",
      access: "admin",
      probe: async (f) => ({
        url: `/v1/stacks/${await id(f)}/drift-settings`,
        body: { autoRemediate: false },
      }),
      otherTeam: 404,
    },
  ],
};

// The matrix makes a few hundred requests per token: no rate limit in the way.
const { api, team } = useApi("matrix", {
  rateLimit: { max: 1_000_000, windowMs: 60_000 },
  // Stands in for the engine's state reader: reveals are about who may, not what is read.
  readStackOutputs: async () => ({ password: { value: "matrix-secret", secret: true } }),
});
let other: TestTeam;
let expired: string;
let revoked: string;
let fixtures: Fixtures;

beforeAll(async () => {
  other = await createTeam(api.db, "matrix-other");
  const past = new Date(Date.now() - 2 * 86_400_000);
  expired = (
    await createTokensService({ db: api.db, now: () => past }).create({
      teamName: team.name,
      role: "admin",
      expiresInDays: 1,
    })
  ).token;
  const tokens = createTokensService({ db: api.db });
  const toRevoke = await tokens.create({ teamName: team.name, role: "admin" });
  await tokens.revoke(toRevoke.prefix);
  revoked = toRevoke.token;

  const freshStack = async () => {
    const res = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "pg-database", name: unique("fx"), spec: {} },
    });
    if (res.status !== 202) throw new Error(`fixture stack: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.stack.id as string, operationId: res.body.operation.id as string };
  };
  const stack = await freshStack();
  // As the worker leaves it after its first `up`, so its outputs can be revealed.
  await api.db.stack.update({ where: { id: stack.id }, data: { status: "ready" } });
  fixtures = {
    freshStack,
    stackId: stack.id,
    operationId: stack.operationId,
    freshTokenId: async () => (await tokens.create({ teamName: team.name, role: "viewer" })).id,
    // As the worker leaves an up a rule held back: previewed, its plan stored, waiting.
    freshWaiting: async () => {
      const { operationId } = await freshStack();
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      await api.db.operation.update({
        where: { id: operationId },
        data: {
          status: "awaiting_approval",
          requestedBy: "matrix-requester",
          plan: "{}",
          approval: { state: "awaiting", rules: [], rule: "matrix", expiresAt },
        },
      });
      return operationId;
    },
    freshReadyStack: async () => {
      const { id } = await freshStack();
      await api.db.stack.update({ where: { id }, data: { status: "ready" } });
      return id;
    },
    freshRollout: async (status) =>
      (
        await api.db.rollout.create({
          data: {
            teamId: team.id,
            kind: "pg-database",
            targetVersion: 2,
            waves: [1],
            status,
            pausedFrom: status === "paused" ? "running" : null,
            requestedBy: "matrix",
          },
        })
      ).id,
  };
});

const routes = () =>
  api.app.accessTable.filter((r) => r.url.startsWith("/v1/") && r.method !== "HEAD" && r.access !== "public");
const send = async (method: string, probe: Probe, token?: string) =>
  call(api.app, method, probe.url, { token, body: probe.body });

describe("the authorization matrix", () => {
  it("has an entry for every /v1 route (add one to ROUTES for a new route)", () => {
    const missing = routes()
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !ROUTES[key]);
    expect(missing).toEqual([]);
    expect(routes().length).toBeGreaterThanOrEqual(12);
  });

  it("every route × every role × own team / other team / no, expired or revoked token", async () => {
    let cells = 0;
    for (const route of routes()) {
      for (const variant of ROUTES[`${route.method} ${route.url}`] ?? []) {
        const required = variant.access ?? (route.access as Role);
        const label = `${route.method} ${route.url}${variant.label ? ` (${variant.label})` : ""}`;

        for (const [who, token, message] of [
          ["no token", undefined, /missing Authorization/],
          ["expired token", expired, /expired/],
          ["revoked token", revoked, /revoked/],
        ] as const) {
          const res = await send(route.method, await variant.probe(fixtures), token);
          expect(res.status, `${label} with ${who}`).toBe(401);
          expect(res.body.message, `${label} with ${who}`).toMatch(message);
          cells++;
        }

        for (const role of ROLES) {
          const res = await send(route.method, await variant.probe(fixtures), team.tokens[role]);
          const cell = `${label} as own ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
          if (hasRole(role, required)) {
            expect(res.status >= 200 && res.status < 300, cell).toBe(true);
          } else {
            expect(res.status, cell).toBe(403);
            // The route's own role is checked first, then the one its variant needs.
            const missing = hasRole(role, route.access as Role) ? required : route.access;
            expect(res.body.message, cell).toMatch(new RegExp(`needs the ${missing} role`));
          }
          cells++;
        }

        // Another team's admin: the own team's resources do not exist for it.
        const probe = await variant.probe(fixtures);
        const res = await send(route.method, probe, other.tokens.admin);
        const cell = `${label} as other team's admin: ${res.status}`;
        if (variant.otherTeam === 404) {
          expect(res.status, cell).toBe(404);
          expect(res.body.error, cell).toBe("not_found");
        } else {
          expect(res.status >= 200 && res.status < 300, cell).toBe(true);
          const text = JSON.stringify(res.body);
          for (const ownId of variant.echoesOwnRequests
            ? [team.id]
            : [fixtures.stackId, fixtures.operationId, team.id])
            expect(text, cell).not.toContain(ownId);
          for (const token of Object.values(team.tokens))
            expect(text, cell).not.toContain(token.slice(0, 12));
        }
        cells++;
      }
    }
    // 3 refused tokens + 3 roles + the other team, for each route and variant.
    expect(cells).toBeGreaterThanOrEqual(routes().length * 7);
  });
});
