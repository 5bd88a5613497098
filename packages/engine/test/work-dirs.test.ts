// Work directories of killed engine processes are swept by the next run; live ones are kept.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkDir } from "../src/runner/work-dirs.ts";

let runsDir: string;
beforeEach(async () => {
  runsDir = await mkdtemp(join(tmpdir(), "gantry-runs-"));
});
afterEach(() => rm(runsDir, { recursive: true, force: true }));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("engine work directories", () => {
  it("removes those of engine processes that are gone, keeps live ones and what is not a run's", async () => {
    const dead = join(runsDir, `run-${deadPid()}-stack-a-abc123`);
    const live = join(runsDir, `run-${process.ppid}-stack-b-def456`);
    const other = join(runsDir, "notes");
    for (const dir of [dead, live, other])
      await mkdir(join(dir, "automation-logs-up-x"), { recursive: true });

    const mine = await createWorkDir(runsDir, "stack-c");

    expect(existsSync(dead)).toBe(false);
    expect((await readdir(runsDir)).sort()).toEqual(
      [live, other, mine].map((dir) => dir.slice(runsDir.length + 1)).sort(),
    );
    expect(mine).toMatch(new RegExp(`/run-${process.pid}-stack-c-`));
  });
});
