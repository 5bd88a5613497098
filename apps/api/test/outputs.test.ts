// GET /v1/stacks/:id/outputs: secrets redacted, revealed only to admins through the injected reader.
import { beforeAll, describe, expect, it } from "vitest";
import type { ReadStackOutputs } from "../src/outputs/outputs-service.ts";
import { call, createTeam, unique, useApi } from "./support.ts";

let stackId: string;
const reads: { id: string; kind: string; name: string; teamName: string }[] = [];
let failReads = false;

/** Stands in for the engine: the state of each stack, secrets included. */
const readStackOutputs: ReadStackOutputs = async (stack) => {
  reads.push(stack);
  if (failReads) throw new Error("state backend unreachable: postgres://admin:s3cret@db");
  return {
    host: { value: "db.internal", secret: false },
    password: { value: "hunter2", secret: true },
  };
};

const { api, team } = useApi("outputs", { readStackOutputs });

beforeAll(async () => {
  const res = await call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.operator,
    body: { kind: "pg-database", name: unique("db"), spec: {} },
  });
  stackId = res.body.stack.id;
});

const outputs = (query: string, token: string, id = stackId) =>
  call(api.app, "GET", `/v1/stacks/${id}/outputs${query}`, { token });

describe("GET /v1/stacks/:id/outputs", () => {
  it("refuses to reveal a stack that has never been provisioned", async () => {
    const res = await outputs("?reveal=true", team.tokens.admin);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("no_outputs");
  });

  it("shows secret outputs redacted to every role", async () => {
    await api.db.stack.update({
      where: { id: stackId },
      data: { status: "ready", outputs: { host: "db.internal" }, secretOutputs: ["password"] },
    });
    for (const token of Object.values(team.tokens)) {
      const res = await outputs("", token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        stackId,
        outputs: { host: "db.internal", password: "[secret]" },
        secretOutputs: ["password"],
        revealed: false,
      });
    }
    expect(reads).toHaveLength(0);
  });

  it("reveals secret values to admins only", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const res = await outputs("?reveal=true", team.tokens[role]);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/admin/);
    }
    const res = await outputs("?reveal=true", team.tokens.admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      stackId,
      outputs: { host: "db.internal", password: "hunter2" },
      secretOutputs: ["password"],
      revealed: true,
    });
    expect(reads.at(-1)).toMatchObject({ id: stackId, kind: "pg-database", teamName: team.name });
  });

  it("answers 503 without the reader's error when the state cannot be read", async () => {
    failReads = true;
    try {
      const res = await outputs("?reveal=true", team.tokens.admin);
      expect(res.status).toBe(503);
      expect(JSON.stringify(res.body)).not.toContain("s3cret");
    } finally {
      failReads = false;
    }
  });

  it("answers 404 for another team's stack, revealed or not, and 400 for a bad flag", async () => {
    const other = await createTeam(api.db, "outputs-other");
    expect((await outputs("", other.tokens.admin)).status).toBe(404);
    expect((await outputs("?reveal=true", other.tokens.admin)).status).toBe(404);
    expect((await outputs("", team.tokens.admin, "nope")).status).toBe(404);
    expect((await outputs("?reveal=yes", team.tokens.admin)).status).toBe(400);
  });
});
