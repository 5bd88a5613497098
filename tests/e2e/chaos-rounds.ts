// What the chaos tests (kills, database cuts) do each round: ask every stack for a change, then
// wait until the round's runs reach a random point — a number of engine events between them, from
// "right after the request" on — by polling conditions, never by sleeping.
import type pg from "pg";
import { expect, vi } from "vitest";
import type { Gantry } from "./gantry.ts";

/** Most pg-database updates emit about a dozen engine events; a point past the end is "idle". */
export const MAX_FAULT_POINT = 14;

export const randomFaultPoint = () => Math.floor(Math.random() * (MAX_FAULT_POINT + 1));

export async function count(db: pg.Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

/** PATCHes each stack's connection limit to the next value of `next`; returns the operations. */
export async function changeEach(
  gantry: Gantry,
  stacks: { id: string }[],
  next: (stackId: string) => number,
): Promise<string[]> {
  const round: string[] = [];
  for (const stack of stacks) {
    const answer = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, {
      spec: { connectionLimit: next(stack.id) },
    });
    expect(answer.status).toBe(202);
    round.push(answer.body.operation.id);
  }
  return round;
}

/** Waits until the round's runs have emitted `point` engine events between them, or all ended. */
export async function reachFaultPoint(db: pg.Client, round: string[], point: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const events = await count(
        db,
        "SELECT count(*)::int AS n FROM operation_events WHERE operation_id = ANY($1::uuid[])",
        [round],
      );
      const open = await count(
        db,
        "SELECT count(*)::int AS n FROM operations WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')",
        [round],
      );
      expect(events >= point || open === 0).toBe(true);
    },
    { timeout: 120_000, interval: 20 },
  );
}
