// Assertions on operations for end-to-end tests (kept out of gantry.ts, which the bench shares).
import { expect } from "vitest";
import type { Gantry } from "./gantry.ts";

/** Waits until the operation has finished and asserts it succeeded with no error; returns it. */
export async function expectSucceeded(gantry: Gantry, operationId: string, label?: string) {
  const op = await gantry.finished(operationId);
  expect(op?.error?.message ?? "", label ?? `operation ${op?.kind}`).toBe("");
  expect(op?.status).toBe("succeeded");
  return op;
}
