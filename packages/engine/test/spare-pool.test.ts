// The spare engine pool's policy: spares for idle cores only, replaced when runs end. The pool is
// given a fork that makes process stand-ins, since what is tested is how many it starts and when.
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { EngineProcess } from "../src/spawn.ts";
import { createSparePool } from "../src/warm-engine.ts";

function counting() {
  const forked: { env: Record<string, string>; killed: boolean; dead: boolean }[] = [];
  const fork = (env: Record<string, string>): EngineProcess => {
    const entry = { env, killed: false, dead: false };
    forked.push(entry);
    const child = { kill: () => ((entry.killed = true), true) } as unknown as ChildProcess;
    return { child, started: Promise.resolve(0), output: [], exited: () => entry.dead || entry.killed };
  };
  return { forked, fork };
}

const ENV = { PULUMI_HOME: "/a" };

describe("the spare engine pool", () => {
  it("loads a spare on an idle core while a run goes on, and hands it to the next run", () => {
    const { forked, fork } = counting();
    const pool = createSparePool({ spares: 2, cores: 2, fork });
    const first = pool.take(ENV, "pg-database");
    expect(forked).toHaveLength(2); // the run's own engine, and one spare for the idle core
    pool.release("pg-database");
    expect(forked).toHaveLength(3); // both cores idle again: a second spare
    const second = pool.take(ENV, "pg-database");
    expect(second).not.toBe(first);
    expect(forked).toHaveLength(3); // the spare was used; one is still loaded for the other core
  });

  it("starts no spare while runs occupy every core, only one per run", () => {
    const { forked, fork } = counting();
    const pool = createSparePool({ spares: 2, cores: 2, fork });
    pool.take(ENV, "pg-database");
    pool.take(ENV, "pg-database"); // takes the spare the first run left
    expect(forked).toHaveLength(2);
    pool.release("pg-database");
    pool.take(ENV, "pg-database"); // the spare loaded when the core came free
    pool.take(ENV, "pg-database"); // every core busy, none loaded ahead: a fresh engine
    expect(forked).toHaveLength(4);
  });

  it("discards spares of another environment and dead ones, and ends the rest on close", () => {
    const { forked, fork } = counting();
    const pool = createSparePool({ spares: 1, cores: 4, fork });
    pool.take(ENV, "pg-database");
    pool.release("pg-database");
    const spare = forked[1];
    if (!spare) throw new Error("no spare was started");
    pool.take({ PULUMI_HOME: "/b" }, "pg-database");
    expect(spare.killed).toBe(true);
    pool.release("pg-database");
    const last = forked.at(-1);
    pool.close();
    expect(last?.killed).toBe(true);
  });
});
