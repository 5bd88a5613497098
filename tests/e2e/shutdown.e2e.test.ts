// SIGTERM to a worker in the middle of a run: it takes no new work, lets the run finish within the
// grace period, or cancels it cleanly once the grace is over; either way the stack stays usable.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Gantry, startGantry, type WorkerProcess } from "./gantry.ts";
import { heldUp } from "./held-run.ts";
import { connectionLimitOf } from "./pg-server.ts";

let gantry: Gantry;

beforeAll(async () => {
  gantry = await startGantry({}, { workers: 0 });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
});

/** A stack with an `up` held mid-run on `worker`, and SIGTERM sent to the worker. */
async function terminatedMidRun(worker: WorkerProcess) {
  const stack = await gantry.readyDatabase(`term-${randomBytes(3).toString("hex")}`, { connectionLimit: 2 });
  const { hold, operationId: running } = await heldUp(gantry, stack, 3);
  const exited = new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGTERM");
  await vi.waitFor(() => expect(worker.output()).toMatch(/worker stopping/), {
    timeout: 30_000,
    interval: 20,
  });
  return { stack, hold, running, exited };
}

describe("a worker told to stop (SIGTERM) during a run", () => {
  it("finishes the run within the grace period, takes no new work, and exits cleanly", async () => {
    const worker = await gantry.startWorker({ WORKER_SHUTDOWN_GRACE_MS: "120000" });
    const { stack, hold, running, exited } = await terminatedMidRun(worker);

    const later = await gantry.call("POST", `/v1/stacks/${stack.id}/operations`, { kind: "refresh" });
    await hold.release();
    const op = await gantry.finished(running);
    expect({ status: op.status, error: op.error }).toEqual({ status: "succeeded", error: null });
    expect(await exited).toBe(0);
    expect(await connectionLimitOf(stack.role)).toBe(3);
    // The refresh asked for during the shutdown waits for a worker that runs, and then runs.
    expect((await gantry.call("GET", `/v1/operations/${later.body.operation.id}`)).body.status).toBe(
      "queued",
    );
    await gantry.startWorker();
    expect((await gantry.finished(later.body.operation.id)).status).toBe("succeeded");
  });

  it("cancels the run cleanly once the grace period is over; the stack takes the next operation", async () => {
    await Promise.all(gantry.workers.map((w) => w.stop()));
    const worker = await gantry.startWorker({ WORKER_SHUTDOWN_GRACE_MS: "500" });
    const { stack, hold, running, exited } = await terminatedMidRun(worker);

    await vi.waitFor(() => expect(worker.output()).toMatch(/grace period over/), {
      timeout: 30_000,
      interval: 20,
    });
    await hold.release();
    const op = await gantry.finished(running);
    expect(op.status).toBe("cancelled");
    expect(op.error).toEqual({
      message: "cancelled: the worker was shut down and its grace period ran out before the run ended",
      retryable: true,
    });
    expect(await exited).toBe(0);

    await gantry.startWorker();
    const again = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 4 } });
    expect((await gantry.finished(again.body.operation.id)).status).toBe("succeeded");
    expect(await connectionLimitOf(stack.role)).toBe(4);
  });
});
