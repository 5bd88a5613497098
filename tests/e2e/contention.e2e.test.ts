// Many changes to one stack at once, with two worker processes: none fails, the runs on the stack
// never overlap, and what is deployed at the end is the last spec accepted.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Gantry, startGantry } from "./gantry.ts";
import { connectionLimitOf } from "./pg-server.ts";

const PATCHES = 50;
let gantry: Gantry;

beforeAll(async () => {
  gantry = await startGantry({ WORKER_CONCURRENCY: "2" }, { workers: 2 });
}, 180_000);

afterAll(async () => {
  await gantry?.stop();
});

it(`takes ${PATCHES} concurrent PATCHes of one stack from two workers without a failure or an overlap`, async () => {
  const stack = await gantry.readyDatabase(`busy-${randomBytes(3).toString("hex")}`, { connectionLimit: 1 });

  const answers = await Promise.all(
    Array.from({ length: PATCHES }, (_, i) =>
      gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: i + 2 } }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  const ids: string[] = answers.map((a) => a.body.operation.id);
  const ops = await Promise.all(ids.map((id) => gantry.finished(id)));

  // Every change either ran or was superseded by a newer one while it waited: none failed.
  for (const op of ops) {
    if (op.status === "cancelled") expect(op.error.message).toMatch(/^superseded by operation /);
    else expect({ status: op.status, error: op.error }).toEqual({ status: "succeeded", error: null });
  }
  // The runs on the stack, from both workers, one after another.
  const history = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?limit=100&status=succeeded`);
  const runs = history.body.operations
    .map((op: { startedAt: string; finishedAt: string }) => [
      Date.parse(op.startedAt),
      Date.parse(op.finishedAt),
    ])
    .sort((a: number[], b: number[]) => (a[0] ?? 0) - (b[0] ?? 0));
  for (let i = 1; i < runs.length; i += 1) expect(runs[i][0]).toBeGreaterThanOrEqual(runs[i - 1][1]);

  // The last change accepted is what the stack holds and what the server has.
  const final = await gantry.call("GET", `/v1/stacks/${stack.id}`);
  expect(final.body.status).toBe("ready");
  const last = ops.reduce((a, b) => (Date.parse(a.createdAt) >= Date.parse(b.createdAt) ? a : b));
  expect(last.status).toBe("succeeded");
  expect(final.body.spec).toEqual(last.spec);
  expect(await connectionLimitOf(stack.role)).toBe(last.spec.connectionLimit);
  expect(final.body.lastOperation.id).toBe(last.id);
});
