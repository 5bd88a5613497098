// GET /v1/operations/:id
import { describe, expect, it } from "vitest";
import { call, createTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("ops");

describe("GET /v1/operations/:id", () => {
  it("shows an operation as the worker leaves it, without internals", async () => {
    const created = await call(api.app, "POST", "/v1/stacks", {
      token: team.tokens.operator,
      body: { kind: "pg-database", name: unique("db"), spec: {} },
    });
    const id = created.body.operation.id;
    const summary = { create: 2, update: 0, replace: 0, delete: 0, same: 0 };
    await api.db.operation.update({
      where: { id },
      data: { status: "succeeded", startedAt: new Date(), finishedAt: new Date(), workerId: "w1", summary },
    });
    const res = await call(api.app, "GET", `/v1/operations/${id}`, { token: team.tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, kind: "up", status: "succeeded", summary, error: null });
    expect(res.body.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(res.body).not.toHaveProperty("workerId");
    expect(res.body).not.toHaveProperty("teamId");

    const other = await createTeam(api.db, "ops-other");
    expect((await call(api.app, "GET", `/v1/operations/${id}`, { token: other.tokens.admin })).status).toBe(
      404,
    );
  });

  it("answers 404 for unknown and malformed ids", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "x"]) {
      const res = await call(api.app, "GET", `/v1/operations/${id}`, { token: team.tokens.viewer });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe("not_found");
    }
  });
});
