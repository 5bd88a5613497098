// Hardening: rate limits per token with 429 + Retry-After, security headers (with /docs still
// served), body size limit, and request schemas that bound every string and refuse unknown fields.
import { describe, expect, it } from "vitest";
import { call, createTeam, expectErrorShape, unique, useApi } from "./support.ts";

const LIMIT = 5;
const { api, team } = useApi("hardening", { rateLimit: { max: LIMIT, windowMs: 60_000 }, bodyLimit: 4096 });

describe("rate limiting", () => {
  it("allows each token its budget, then answers 429 with Retry-After and the error body", async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await call(api.app, "GET", "/v1/stacks", { token: team.tokens.viewer })).status).toBe(200);
    }
    const limited = await call(api.app, "GET", "/v1/stacks", { token: team.tokens.viewer });
    expect(limited.status).toBe(429);
    expectErrorShape(limited.body);
    expect(limited.body.error).toBe("rate_limited");
    expect(limited.body.requestId).toBe(limited.headers["x-request-id"]);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);

    // Another token of the same team has its own budget.
    expect((await call(api.app, "GET", "/v1/stacks", { token: team.tokens.operator })).status).toBe(200);
  });

  it("audits a refused mutation", async () => {
    let res: Awaited<ReturnType<typeof call>>;
    do {
      res = await call(api.app, "POST", "/v1/stacks", {
        token: team.tokens.admin,
        body: { kind: "pg-database", name: unique("rl"), spec: {} },
      });
    } while (res.status !== 429);
    const entry = await api.db.auditEntry.findFirst({
      where: { requestId: res.headers["x-request-id"] as string },
    });
    expect(entry).toMatchObject({ action: "stack.create", statusCode: 429, result: "denied" });
  });
});

describe("headers and limits", () => {
  it("sends security headers on API answers and keeps /docs working under its own CSP", async () => {
    const res = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=/);
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    const docs = await api.app.inject({ method: "GET", url: "/docs" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger-initializer.js");
    // No inline script: the page works under script-src 'self'.
    expect(docs.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect(docs.body).not.toMatch(/<script>[^<]/);
    // Reached over plain HTTP inside a network, the docs must not ask browsers to switch to HTTPS.
    for (const csp of [docs.headers["content-security-policy"], res.headers["content-security-policy"]])
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
    for (const file of ["swagger-initializer.js", "swagger-ui-bundle.js", "swagger-ui.css"]) {
      expect((await api.app.inject({ method: "GET", url: `/docs/static/${file}` })).statusCode, file).toBe(
        200,
      );
    }
    const openapi = await api.app.inject({ method: "GET", url: "/openapi.json" });
    expect(openapi.statusCode).toBe(200);
  });

  it("refuses a body over the limit with 413", async () => {
    const fresh = await createTeam(api.db, "hardening-body");
    const res = await call(api.app, "POST", "/v1/tokens", {
      token: fresh.tokens.admin,
      body: { role: "viewer", name: "x".repeat(5000) },
    });
    expect(res.status).toBe(413);
    expectErrorShape(res.body);
  });
});

type JsonSchema = Record<string, unknown>;

/** Every string in a request schema has a bound, every object refuses unknown fields. */
function unbounded(schema: unknown, path: string, out: string[]): void {
  if (!schema || typeof schema !== "object") return;
  const s = schema as JsonSchema;
  const isString = s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"));
  if (isString && s.maxLength === undefined && s.enum === undefined && s.const === undefined)
    out.push(`${path}: string without maxLength`);
  if (s.type === "object" && s.properties && s.additionalProperties !== false)
    out.push(`${path}: object accepts unknown fields`);
  if (s.propertyNames) unbounded(s.propertyNames, `${path}{key}`, out);
  for (const [key, value] of Object.entries(s)) {
    if (key === "properties" && value && typeof value === "object") {
      for (const [name, sub] of Object.entries(value)) unbounded(sub, `${path}.${name}`, out);
    } else if (["items", "additionalProperties", "not"].includes(key)) unbounded(value, `${path}[]`, out);
    else if (["anyOf", "oneOf", "allOf", "prefixItems"].includes(key) && Array.isArray(value))
      for (const [i, sub] of value.entries()) unbounded(sub, `${path}|${i}`, out);
  }
}

describe("request schemas", () => {
  it("(the walker finds what it looks for)", () => {
    const found: string[] = [];
    unbounded({ type: "object", properties: { a: { type: "string" } } }, "x", found);
    expect(found.sort()).toEqual(["x.a: string without maxLength", "x: object accepts unknown fields"]);
  });

  it("bound every string and refuse unknown fields, on every route (from the OpenAPI document)", async () => {
    const doc = (await api.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const problems: string[] = [];
    let checked = 0;
    for (const [url, methods] of Object.entries(doc.paths as Record<string, Record<string, JsonSchema>>)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const param of (op.parameters ?? []) as JsonSchema[]) {
          checked++;
          unbounded(param.schema, `${method.toUpperCase()} ${url} ${param.in}.${param.name}`, problems);
        }
        const body = (op.requestBody as JsonSchema | undefined)?.content as
          | Record<string, JsonSchema>
          | undefined;
        if (body?.["application/json"]) {
          checked++;
          unbounded(body["application/json"].schema, `${method.toUpperCase()} ${url} body`, problems);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("bound every string of every kind's spec and refuse unknown spec fields", async () => {
    const res = await call(api.app, "GET", "/v1/kinds", { token: team.tokens.operator });
    const problems: string[] = [];
    for (const kind of res.body.kinds) unbounded(kind.specSchema, kind.name, problems);
    expect(problems).toEqual([]);
  });

  it("refuse names that are not DNS labels", async () => {
    const stack = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "pg-database", name: "Bad_Name", spec: {} },
    });
    expect(stack.status).toBe(400);
    expect(stack.body.message).toMatch(/^name: must be a DNS label/);
  });
});
