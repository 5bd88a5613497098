// A run held mid-way without sleeping: the test holds the stack's role in Postgres, so an `up`
// that changes its connection limit waits inside the engine until the test releases it.
import { expect, vi } from "vitest";
import type { Gantry } from "./gantry.ts";
import { holdRole, type RoleHold } from "./pg-server.ts";

/** Starts an `up` that changes the connection limit and waits until it is stuck on the held role. */
export async function heldUp(
  gantry: Gantry,
  stack: { id: string; role: string },
  limit: number,
): Promise<{ hold: RoleHold; operationId: string }> {
  const hold = await holdRole(stack.role);
  const patched = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: limit } });
  expect(patched.status).toBe(202);
  await vi.waitFor(async () => expect(await hold.blocking()).toBe(true), { timeout: 60_000, interval: 50 });
  return { hold, operationId: patched.body.operation.id as string };
}
