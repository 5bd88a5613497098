// The controller's work queue: a key is never worked on twice at once, waits at most once, and a
// key added while it is being worked on runs once more afterwards (no change is missed).
import { describe, expect, it } from "vitest";
import { waitUntil } from "../../../tests/support/wait.ts";
import { createWorkQueue } from "../src/work-queue.ts";

/** A promise and its resolver, to hold a piece of work until the test lets it go. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("the controller's work queue", () => {
  it("runs a key again when it was added while running, and never two at once", async () => {
    const runs: string[] = [];
    let concurrentA = 0;
    let maxConcurrentA = 0;
    const first = gate();
    const queue = createWorkQueue(async (key) => {
      runs.push(key);
      if (key === "a") {
        concurrentA++;
        maxConcurrentA = Math.max(maxConcurrentA, concurrentA);
        if (runs.filter((k) => k === "a").length === 1) await first.opened;
        concurrentA--;
      }
      return undefined;
    }, 4);
    queue.add("a");
    await waitUntil(() => (runs.includes("a") ? true : undefined), { timeout: 5000, what: "a to start" });
    // Added three times while running: one more run, not three, and not alongside the first.
    queue.add("a");
    queue.add("a");
    queue.add("a");
    queue.add("b");
    await waitUntil(() => (runs.includes("b") ? true : undefined), { timeout: 5000, what: "b to run" });
    expect(runs.filter((k) => k === "a")).toHaveLength(1);
    first.open();
    await waitUntil(() => (runs.filter((k) => k === "a").length === 2 ? true : undefined), {
      timeout: 5000,
      what: "a to run again",
    });
    await queue.stop();
    expect(maxConcurrentA).toBe(1);
    expect(runs.filter((k) => k === "b")).toHaveLength(1);
  });

  it("runs a key that waits once, however often it was added", async () => {
    const runs: string[] = [];
    const held = gate();
    const queue = createWorkQueue(async (key) => {
      runs.push(key);
      if (key === "a") await held.opened;
      return undefined;
    }, 1);
    queue.add("a");
    queue.add("c");
    queue.add("c");
    queue.add("c");
    held.open();
    await waitUntil(() => (runs.includes("c") ? true : undefined), { timeout: 5000, what: "c to run" });
    await queue.stop();
    expect(runs).toEqual(["a", "c"]);
  });

  it("requeues after the delay the work asks for, and stops cleanly", async () => {
    let runs = 0;
    const queue = createWorkQueue(async () => {
      runs++;
      return runs < 3 ? 10 : undefined;
    }, 1);
    queue.add("x");
    await waitUntil(() => (runs === 3 ? true : undefined), { timeout: 5000, what: "three runs" });
    await queue.stop();
    queue.add("x");
    expect(runs).toBe(3);
  });
});
