// Secret inputs through the API: a kubernetes-cluster's kubeconfig is accepted on create and
// PATCH, shown as "[set]", kept by a PATCH that does not name it, and handed to the worker sealed
// in secret_input_handoffs; never in the stack, the operation, the outbox or an answer.
import { randomBytes } from "node:crypto";
import { pendingSecretInputs } from "@gantry/db";
import { registryFor } from "@gantry/stacks";
import { describe, expect, it } from "vitest";
import { call, startApi, unique, useApi } from "./support.ts";

const KEY = randomBytes(32);
const TOKEN = `kube-token-${randomBytes(12).toString("hex")}`;
const kubeconfig = (token: string) =>
  [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: c, cluster: {server: 'https://203.0.113.10:6443'}}]",
    `users: [{name: u, user: {token: '${token}'}}]`,
    "contexts: [{name: c, context: {cluster: c, user: u}}]",
    "current-context: c",
  ].join("\n");

const { api, team } = useApi("secret-in", { kinds: registryFor({ benchKinds: false }), secretInputKey: KEY });

const create = (spec: unknown) =>
  call(api.app, "POST", "/v1/stacks", {
    token: team.tokens.operator,
    body: { kind: "kubernetes-cluster", name: unique("k"), spec },
  });

/** Everything Gantry keeps about a stack, as text: stack, operations, outbox. */
async function storedText(stackId: string): Promise<string> {
  const stack = await api.db.stack.findUnique({ where: { id: stackId } });
  const operations = await api.db.operation.findMany({ where: { stackId } });
  const outbox = await api.db.outboxEntry.findMany({
    where: { operationId: { in: operations.map((o) => o.id) } },
  });
  return JSON.stringify({ stack, operations, outbox }, (_key, value) =>
    typeof value === "bigint" ? String(value) : value,
  );
}

describe("secret inputs", () => {
  it("are stored as [set], handed off sealed, and kept by a PATCH that does not name them", async () => {
    const created = await create({ kubeconfig: kubeconfig(TOKEN) });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body.stack.id as string;
    expect(created.body.stack.spec).toEqual({ kubeconfig: "[set]", requestTimeoutSeconds: 15 });
    expect(created.body.operation.spec).toEqual({ kubeconfig: "[set]", requestTimeoutSeconds: 15 });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    const row = await api.db.secretInputHandoff.findUniqueOrThrow({ where: { stackId: id } });
    expect(Buffer.from(row.sealed).toString("latin1")).not.toContain(TOKEN);
    expect((await pendingSecretInputs(api.db, KEY, id))?.values).toEqual({ kubeconfig: kubeconfig(TOKEN) });

    const kept = await call(api.app, "PATCH", `/v1/stacks/${id}`, {
      token: team.tokens.operator,
      body: { spec: { requestTimeoutSeconds: 30 } },
    });
    expect(kept.status).toBe(202);
    expect(kept.body.stack.spec).toEqual({ kubeconfig: "[set]", requestTimeoutSeconds: 30 });
    expect((await pendingSecretInputs(api.db, KEY, id))?.version).toBe(row.version);

    const replaced = await call(api.app, "PATCH", `/v1/stacks/${id}`, {
      token: team.tokens.operator,
      body: { spec: { kubeconfig: kubeconfig(`${TOKEN}-2`) } },
    });
    expect(replaced.status).toBe(202);
    const pending = await pendingSecretInputs(api.db, KEY, id);
    expect(pending).toEqual({ values: { kubeconfig: kubeconfig(`${TOKEN}-2`) }, version: row.version + 1 });
    expect(await storedText(id)).not.toContain(TOKEN);

    const read = await call(api.app, "GET", `/v1/stacks/${id}`, { token: team.tokens.viewer });
    expect(read.body.spec.kubeconfig).toBe("[set]");

    // A preview keeps no spec: a value in it is refused, not silently dropped.
    const preview = await call(api.app, "POST", `/v1/stacks/${id}/operations`, {
      token: team.tokens.operator,
      body: { kind: "preview", spec: { kubeconfig: kubeconfig(TOKEN) } },
    });
    expect(preview.status).toBe(422);
    expect(preview.body.message).toBe(
      "spec.kubeconfig: is a secret input: a preview runs on the value already set; change it with a PATCH",
    );
  });

  it("refuses [set] without a value, and a kubeconfig it cannot use, without quoting it", async () => {
    const marker = await create({ kubeconfig: "[set]" });
    expect(marker.status).toBe(422);
    expect(marker.body.message).toContain("spec.kubeconfig: needs its value");
    const exec = await create({
      kubeconfig: kubeconfig(TOKEN).replace(`{token: '${TOKEN}'}`, `{exec: {command: '${TOKEN}'}}`),
    });
    expect(exec.status).toBe(422);
    expect(exec.body.message).toContain("authenticates with a command");
    expect(JSON.stringify(exec.body)).not.toContain(TOKEN);
  });

  it("are refused with 503 by a server without a key to seal them", async () => {
    const keyless = await startApi({ kinds: registryFor({ benchKinds: false }) });
    try {
      const { createTeam } = await import("./support.ts");
      const other = await createTeam(keyless.db, "keyless");
      const res = await call(keyless.app, "POST", "/v1/stacks", {
        token: other.tokens.operator,
        body: { kind: "kubernetes-cluster", name: unique("k"), spec: { kubeconfig: kubeconfig(TOKEN) } },
      });
      expect(res.status).toBe(503);
      expect(await keyless.db.stack.count()).toBe(0);
    } finally {
      await keyless.close();
    }
  });
});
