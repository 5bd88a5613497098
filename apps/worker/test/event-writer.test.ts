// The event writer on real Postgres: a run's events are stored in order, and a later attempt of the
// same operation (a retry, a recovery) continues its log where the earlier one ended. Where the
// log ends is read while the engine starts, so a failure of that read must cost no event order:
// the next batch reads it again.
import { randomBytes } from "node:crypto";
import { createLogger } from "@gantry/core";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { newOperation, useTeamDatabase } from "../../../tests/support/team-database.ts";
import { type EventWriterDb, openEventWriter } from "../src/operations/event-writer.ts";

const ctx = useTeamDatabase(`events-${randomBytes(3).toString("hex")}`, 2);
const logger = createLogger({ name: "event-writer-test", level: "fatal" });

const stdout = (message: string): EngineEvent => ({
  sequence: 0,
  timestamp: 0,
  stdoutEvent: { message, color: "never" },
});

async function stored(operationId: string): Promise<[number, string][]> {
  const rows = await ctx.db.operationEvent.findMany({ where: { operationId }, orderBy: { seq: "asc" } });
  return rows.map((row) => [
    row.seq,
    (row.payload as { stdoutEvent: { message: string } }).stdoutEvent.message,
  ]);
}

describe("openEventWriter", () => {
  it("numbers a second attempt's events after the first's", async () => {
    const { operationId } = await newOperation(ctx, { status: "running" });
    const first = openEventWriter({ db: ctx.db, logger }, operationId);
    for (const message of ["a", "b"]) first.push(stdout(message));
    await first.close();
    const second = openEventWriter({ db: ctx.db, logger }, operationId);
    second.push(stdout("c"));
    await second.close();
    expect(await stored(operationId)).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
  });

  it("reads where the log ends again when the read failed, and stores the batch", async () => {
    const { operationId } = await newOperation(ctx, { status: "running" });
    const earlier = openEventWriter({ db: ctx.db, logger }, operationId);
    earlier.push(stdout("earlier"));
    await earlier.close();
    // The first read of the log's end fails (a dropped session); everything else is the real database.
    let reads = 0;
    const db: EventWriterDb = {
      $executeRaw: ctx.db.$executeRaw.bind(ctx.db),
      operationEvent: new Proxy(ctx.db.operationEvent, {
        get(target, key, receiver) {
          if (key !== "aggregate") return Reflect.get(target, key, receiver);
          return (...args: Parameters<typeof target.aggregate>) => {
            reads += 1;
            return reads === 1 ? Promise.reject(new Error("connection lost")) : target.aggregate(...args);
          };
        },
      }),
    };
    const writer = openEventWriter({ db, logger }, operationId);
    writer.push(stdout("later"));
    await writer.close();
    expect(reads).toBe(2);
    expect(await stored(operationId)).toEqual([
      [1, "earlier"],
      [2, "later"],
    ]);
  });
});
