// Kinds, health, readiness and the generated OpenAPI document.
import { createDb } from "@gantry/db";
import { describe, expect, it } from "vitest";
import { toErrorReply } from "../src/http/error-handler.ts";
import { call, startApi, useApi } from "./support.ts";

const { api, team } = useApi("ops");

describe("GET /v1/kinds", () => {
  it("lists every kind with its spec JSON Schema and outputs", async () => {
    const res = await call(api.app, "GET", "/v1/kinds", { token: team.tokens.viewer });
    expect(res.status).toBe(200);
    const pg = res.body.kinds.find((k: { name: string }) => k.name === "pg-database");
    expect(pg.specSchema.type).toBe("object");
    expect(pg.specSchema.properties.connectionLimit.default).toBe(20);
    expect(pg.outputs).toContainEqual({ name: "password", description: expect.any(String), secret: true });
  });
});

describe("health", () => {
  it("answers /healthz and /readyz without a token", async () => {
    expect((await call(api.app, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await call(api.app, "GET", "/readyz")).body).toEqual({ status: "ok" });
  });

  it("answers /readyz with 503 when the database is unreachable, and API calls with 503 too", async () => {
    const down = await startApi({ db: createDb("postgresql://nobody@127.0.0.1:1/none", { poolSize: 1 }) });
    try {
      expect((await call(down.app, "GET", "/healthz")).status).toBe(200);
      const ready = await call(down.app, "GET", "/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.error).toBe("unavailable");
      const list = await call(down.app, "GET", "/v1/stacks", { token: team.tokens.viewer });
      expect(list.status).toBe(503);
      expect(list.headers["retry-after"]).toBe("2");
      expect(list.body.message).not.toMatch(/nobody|127\.0\.0\.1/);
    } finally {
      await down.close();
    }
  });

  it("takes a transaction that finds no free pool connection for 503, not 500", async () => {
    const db = createDb(api.url, { poolSize: 1 });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      let holding = () => {};
      const holds = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const holder = db.$transaction(async () => {
        holding();
        await held;
      });
      await holds;
      const starved = await db.$transaction(async () => undefined, { maxWait: 100 }).catch((err) => err);
      release();
      await holder;
      expect(toErrorReply(starved)).toMatchObject({ status: 503, error: "unavailable" });
    } finally {
      release();
      await db.$disconnect();
    }
  });
});

describe("OpenAPI", () => {
  it("is generated from the route schemas", async () => {
    const res = await call(api.app, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/kinds",
        "/v1/stacks",
        "/v1/stacks/{id}",
        "/v1/stacks/{id}/outputs",
        "/v1/operations/{id}",
      ]),
    );
    const create = res.body.paths["/v1/stacks"].post;
    expect(create.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(["202", "400", "401", "403", "409", "422"]),
    );
    expect((await call(api.app, "GET", "/docs")).status).toBeLessThan(400);
  });

  it("answers unknown routes with the error shape", async () => {
    const res = await call(api.app, "GET", "/v2/everything");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not_found", requestId: expect.any(String) });
    expect(res.headers["x-request-id"]).toBe(res.body.requestId);
  });
});
