// Property-based fuzzing of every route in the access table through inject(): generated path
// params, query strings, bodies (valid-looking and garbage) and headers. Whatever comes in, the
// API never answers 5xx, and every 4xx has the error shape.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique, useApi } from "./support.ts";

const { api, team } = useApi("fuzz", { rateLimit: { max: 1_000_000, windowMs: 60_000 } });
let knownIds: string[] = [];

beforeAll(async () => {
  const created = await call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.admin,
    body: { kind: "pg-database", name: "fuzz-target", spec: {} },
  });
  knownIds = [created.body.stack.id, created.body.operation.id];
});

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 150);

/** Field names the API knows, so generated objects reach past "unknown field" often enough. */
const KEYS = [
  "kind",
  "name",
  "spec",
  "dependsOn",
  "role",
  "expiresInDays",
  "expiresAt",
  "connectionLimit",
  "extensions",
  "instanceClass",
  "engine",
  "cursor",
  "limit",
  "status",
  "reveal",
  "action",
  "actor",
  "target",
  "from",
  "to",
  "__proto__",
  "constructor",
];

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.constantFrom(
    "",
    "pg-database",
    "rds-database",
    "admin",
    "true",
    "-1",
    "1e309",
    "null",
    "../../etc",
    "%00",
  ),
  fc.string({ minLength: 200, maxLength: 5000 }),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(text, { maxLength: 30 }),
);
const object = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), value, {
  maxKeys: 6,
});
const body = fc.oneof(
  fc.constant(undefined),
  object.map((o) => JSON.stringify(o)),
  fc
    .record({
      kind: fc.constantFrom("pg-database", "rds-database", "network", "x"),
      name: text,
      spec: object,
    })
    .map((o) => JSON.stringify(o)),
  // Close to valid, so handlers run too (creates, spec merges, token creation).
  fc
    .record({
      kind: fc.constant("pg-database"),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
      spec: fc.record({ connectionLimit: fc.integer({ min: -5, max: 2000 }) }, { requiredKeys: [] }),
      role: fc.constantFrom("viewer", "operator"),
    })
    .map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  // Over the 1 MiB body limit.
  fc.constant(JSON.stringify({ spec: { blob: "x".repeat(1_100_000) } })),
);
const idParam = fc.oneof(fc.uuid(), fc.constantFrom(...["x"]), text, fc.constant("KNOWN"));
const query = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), text, {
  maxKeys: 4,
});
const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant("ADMIN"),
      fc.constant("VIEWER"),
      fc.constant("Bearer gnt_"),
      text.map((t) => `Bearer ${t}`),
      text,
    ),
    "content-type": fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
    "idempotency-key": text,
    "x-forwarded-for": text,
  },
  { requiredKeys: [] },
);

function headerValue(value: string): string {
  // HTTP header values are latin-1 without control characters; anything else is not a request a
  // client can send.
  return value.replace(/[^\x20-\x7e]/g, "?").slice(0, 8000);
}

describe("fuzzing every route", () => {
  it("never answers 5xx, and every 4xx has the error shape", async () => {
    const routes = api.app.accessTable.filter((r) => r.method !== "HEAD");
    expect(routes.length).toBeGreaterThan(10);
    let requests = 0;
    const statuses: Record<number, number> = {};
    const started = Date.now();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(idParam, query, body, headers, async (id, q, payload, h) => {
          const idValue = id === "KNOWN" ? (knownIds[requests % knownIds.length] ?? "") : id;
          const path = route.url
            .replace(":id", encodeURIComponent(idValue))
            .replace("*", encodeURIComponent(String(id)));
          const search = new URLSearchParams(Object.entries(q)).toString();
          const auth =
            h.authorization === "ADMIN"
              ? `Bearer ${team.tokens.admin}`
              : h.authorization === "VIEWER"
                ? `Bearer ${team.tokens.viewer}`
                : h.authorization;
          const sent: Record<string, string> = {};
          for (const [name, v] of Object.entries({ ...h, authorization: auth })) {
            if (v !== undefined) sent[name] = headerValue(v);
          }
          const res = await api.app.inject({
            method: route.method as "GET",
            url: search ? `${path}?${search}` : path,
            headers: sent,
            ...(payload !== undefined ? { payload } : {}),
          });
          requests++;
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const label = `${route.method} ${path} → ${res.statusCode}: ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const parsed = JSON.parse(res.body);
            expect(typeof parsed.error, label).toBe("string");
            expect(typeof parsed.message, label).toBe("string");
            expect(parsed.requestId, label).toBe(res.headers["x-request-id"]);
          }
        }),
        {
          numRuns: RUNS_PER_ROUTE,
          // One well-formed request per route, so every handler runs at least once whatever the seed.
          examples: [
            [
              "KNOWN",
              {},
              JSON.stringify({ kind: "pg-database", name: unique("fz"), spec: {} }),
              { authorization: "ADMIN", "content-type": "application/json" },
            ],
          ],
        },
      );
    }
    expect(requests).toBeGreaterThanOrEqual(routes.length * RUNS_PER_ROUTE);
    const took = Date.now() - started;
    console.info(`fuzz: ${requests} requests over ${routes.length} routes in ${took} ms`, statuses);
    // The inputs reach every layer: handlers (2xx), validation (400), auth (401), lookups (404).
    for (const status of [200, 202, 400, 401, 404])
      expect(statuses[status], `status ${status}`).toBeGreaterThan(0);
  }, 120_000);
});
