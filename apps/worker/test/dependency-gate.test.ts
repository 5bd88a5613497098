// When an operation may start, given the state of the stacks it depends on (real Postgres).
import { describe, expect, it } from "vitest";
import { useTeamDatabase } from "../../../tests/support/team-database.ts";
import { checkDependencies, DEPENDENCY_WAIT_LIMIT_MS } from "../src/operations/dependency-gate.ts";

const ctx = useTeamDatabase("gate", 2);

interface Dependency {
  name: string;
  status: string;
  pending?: boolean;
  kind?: string;
}

/** A stack (an rds-database) depending on one stack per given state; `pending` adds a queued operation to it. */
async function stackOn(...dependencies: Dependency[]) {
  return dependentOn("rds-database", dependencies);
}

async function dependentOn(kind: string, dependencies: Dependency[]) {
  const ids: string[] = [];
  for (const d of dependencies) {
    const name = `${d.name}-${Math.random().toString(16).slice(2, 8)}`;
    const stack = await ctx.db.stack.create({
      data: { teamId: ctx.teamId, kind: d.kind ?? "network", name, spec: {}, status: d.status },
    });
    if (d.pending)
      await ctx.db.operation.create({
        data: { teamId: ctx.teamId, stackId: stack.id, kind: "up", spec: {}, requestedBy: "t" },
      });
    ids.push(stack.id);
  }
  const dependent = await ctx.db.stack.create({
    data: {
      teamId: ctx.teamId,
      kind,
      name: `${kind}-${Math.random().toString(16).slice(2, 8)}`,
      spec: {},
      dependsOn: { create: ids.map((dependsOnId) => ({ dependsOnId })) },
    },
  });
  return dependent.id;
}

/** The gate for an operation of `spec` on an rds-database (which uses all its dependencies). */
const gateOf = (stackId: string, queuedAt = new Date(), stackKind = "rds-database", spec: unknown = {}) =>
  checkDependencies(ctx.db, { stackId, stackKind, spec, queuedAt });

describe("the dependency gate", () => {
  it("opens for a stack without dependencies or with every dependency ready", async () => {
    expect(await gateOf(await stackOn())).toEqual({ state: "open" });
    const ready = await stackOn({ name: "a", status: "ready" }, { name: "b", status: "ready" });
    expect(await gateOf(ready)).toEqual({ state: "open" });
  });

  it("waits while a dependency has an operation on its way", async () => {
    const id = await stackOn(
      { name: "net", status: "provisioning", pending: true },
      { name: "ok", status: "ready" },
    );
    const gate = await gateOf(id);
    expect(gate.state).toBe("wait");
    expect(gate.state === "wait" && gate.waitingFor).toEqual([expect.stringMatching(/^net-/)]);
  });

  it("blocks on a failed dependency with nothing pending, naming it", async () => {
    const id = await stackOn({ name: "broken", status: "failed" });
    const gate = await gateOf(id);
    expect(gate).toEqual({
      state: "blocked",
      message: expect.stringMatching(
        /^dependencies are not ready: "broken-[0-9a-f]+" is failed; fix them, then retry/,
      ),
    });
  });

  it("counts only the dependencies the operation's spec uses", async () => {
    // A workload on Kubernetes that may move to ECS: its network failed, its cluster is ready.
    const id = await dependentOn("workload", [
      { name: "cluster", status: "ready", kind: "kubernetes-cluster" },
      { name: "net", status: "failed" },
    ]);
    const image = "nginx:1.27";
    expect(await gateOf(id, new Date(), "workload", { image, target: "kubernetes" })).toEqual({
      state: "open",
    });
    expect(await gateOf(id, new Date(), "workload", { image, target: "ecs" })).toEqual({
      state: "blocked",
      message: expect.stringMatching(/^dependencies are not ready: "net-[0-9a-f]+" is failed/),
    });
  });

  it("gives up after the wait limit", async () => {
    const id = await stackOn({ name: "slow", status: "provisioning", pending: true });
    const queuedAt = new Date(Date.now() - DEPENDENCY_WAIT_LIMIT_MS - 1000);
    const gate = await gateOf(id, queuedAt);
    expect(gate).toEqual({
      state: "blocked",
      message: expect.stringMatching(/^dependencies were not ready within 60 minutes: slow-/),
    });
  });
});
