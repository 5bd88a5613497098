// The one-statement creates (createStacksWithUp: a stack, its `up`, the outbox row and the
// notification) asked for in one turn, sent as one statement (turnBatch). One name taken fails the
// whole statement: then each create of the batch runs alone, in the order they were asked for, and
// only the one whose name is taken is refused (StackNameTaken).
import { type CreatedStack, createStacksWithUp, type NewStack, StackNameTaken } from "@gantry/db";
import type pg from "pg";
import { eachAlone, turnBatch } from "../turn-batch.ts";

export function createBatchedCreates(pool: pg.Pool): (input: NewStack) => Promise<CreatedStack> {
  const creates = turnBatch<NewStack, CreatedStack>(async (inputs) => {
    try {
      return await createStacksWithUp(pool, inputs);
    } catch (err) {
      if (!(err instanceof StackNameTaken) || inputs.length === 1) throw err;
      return eachAlone(inputs, async (input) => (await createStacksWithUp(pool, [input]))[0] as CreatedStack);
    }
  });
  return (input) => creates.load(input);
}
