// Plain stack reads that arrive together share statements (batched-stack-reads.ts): reads by id
// for several teams are one statement, each answered with its own team's stack only; identical
// list pages are one statement, distinct ones one each; each answers what the read alone does,
// and a read asked for after a write sees it.
import type { Prisma } from "@gantry/db";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createBatchedStackReads } from "../src/stacks/batched-stack-reads.ts";
import { readStack, readStacks } from "../src/stacks/stack-reads.ts";
import { createTeam, unique, useApi } from "./support.ts";

const { api, team } = useApi("batched");

async function newStack(teamId: string, data: Partial<Prisma.StackUncheckedCreateInput> = {}) {
  return api.db.stack.create({
    data: { teamId, kind: "pg-database", name: unique("db"), spec: {}, status: "ready", ...data },
  });
}

/** The batched reads on the test's pool, and the number of statements sent on it. */
function spiedReads() {
  const query = vi.spyOn(api.db.pool, "query");
  return { reads: createBatchedStackReads(api.db.pool), statements: () => query.mock.calls.length };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("batched stack reads", () => {
  it("read stacks of several teams in one statement, each only for its own team", async () => {
    const other = await createTeam(api.db, "batched-other");
    const mine = await Promise.all([newStack(team.id), newStack(team.id, { outputs: { port: 5432 } })]);
    const theirs = await newStack(other.id);
    const { reads, statements } = spiedReads();

    const [first, second, again, foreign, theirsByThem, missing] = await Promise.all([
      reads.get(team.id, mine[0].id),
      reads.get(team.id, mine[1].id),
      reads.get(team.id, mine[0].id),
      reads.get(team.id, theirs.id),
      reads.get(other.id, theirs.id),
      reads.get(team.id, crypto.randomUUID()),
    ]);

    expect(statements()).toBe(1);
    expect(first).toEqual(await readStack(api.db.pool, team.id, mine[0].id));
    expect(second?.outputs).toEqual({ port: 5432 });
    expect(again).toEqual(first);
    expect(foreign).toBeUndefined();
    expect(theirsByThem?.id).toBe(theirs.id);
    expect(missing).toBeUndefined();
  });

  it("read identical list pages in one statement, and distinct ones each on their own", async () => {
    for (let i = 0; i < 3; i++) await newStack(team.id, { kind: "test-app" });
    const { reads, statements } = spiedReads();
    const page = { take: 21 };
    const apps = { kind: "test-app", take: 21 };

    const [first, second, third, onlyApps] = await Promise.all([
      reads.list(team.id, page),
      reads.list(team.id, page),
      reads.list(team.id, { ...page }),
      reads.list(team.id, apps),
    ]);

    expect(statements()).toBe(2);
    expect(first).toEqual(await readStacks(api.db.pool, team.id, page));
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(onlyApps).toEqual(await readStacks(api.db.pool, team.id, apps));
    expect(onlyApps).toHaveLength(3);
  });

  it("see a write committed before the read was asked for", async () => {
    const stack = await newStack(team.id);
    const { reads } = spiedReads();
    const [before] = await Promise.all([reads.get(team.id, stack.id), reads.list(team.id, { take: 21 })]);
    expect(before?.status).toBe("ready");

    await api.db.stack.update({ where: { id: stack.id }, data: { status: "failed" } });
    const [after, page] = await Promise.all([
      reads.get(team.id, stack.id),
      reads.list(team.id, { take: 21 }),
    ]);
    expect(after?.status).toBe("failed");
    expect(page.find((row) => row.id === stack.id)?.status).toBe("failed");
  });
});
