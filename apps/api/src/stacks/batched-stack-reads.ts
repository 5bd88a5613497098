// Plain stack reads (outside a change's transaction) share statements when they arrive together
// (turnBatch): the reads by id asked for in one turn of the event loop are one statement
// (whichever teams they are for), and identical list reads (same team, filter and page) one.
// Under the polling that portals and pipelines do, a read then costs little more than its rows.
//
// Each read still sees every write committed before its request arrived: a batch's statement is
// sent after the turn in which its reads were asked for, never answered from an earlier statement
// or a cache. The stacks a batch loads are shared by the reads that asked for them: nothing
// downstream (the view, the serializer) changes a LoadedStack.
import type pg from "pg";
import { asError, turnBatch } from "../turn-batch.ts";
import { readStacks, readStacksById, type StackFilter } from "./stack-reads.ts";
import type { LoadedStack } from "./stack-view.ts";

export interface BatchedStackReads {
  /** One of the team's stacks, or undefined. `id` must be a UUID (a batch's statement casts them all). */
  get(teamId: string, id: string): Promise<LoadedStack | undefined>;
  /** A page of the team's stacks (readStacks). */
  list(teamId: string, filter: StackFilter): Promise<LoadedStack[]>;
}

export function createBatchedStackReads(pool: pg.Pool): BatchedStackReads {
  const byId = turnBatch<{ teamId: string; id: string }, LoadedStack | undefined>(async (keys) => {
    const stacks = await readStacksById(pool, [...new Set(keys.map((key) => key.id))]);
    return keys.map(({ teamId, id }) => {
      const stack = stacks.get(id);
      return stack?.teamId === teamId ? stack : undefined;
    });
  });

  const pages = turnBatch<{ teamId: string; filter: StackFilter }, LoadedStack[]>(async (keys) => {
    const reads = new Map<string, Promise<LoadedStack[] | Error>>();
    return Promise.all(
      keys.map(({ teamId, filter }) => {
        const key = JSON.stringify([teamId, filter]);
        let read = reads.get(key);
        if (!read) {
          // One failed page fails only the reads that asked for it.
          read = readStacks(pool, teamId, filter).catch(asError);
          reads.set(key, read);
        }
        return read;
      }),
    );
  });

  return {
    get: (teamId, id) => byId.load({ teamId, id }),
    list: (teamId, filter) => pages.load({ teamId, filter }),
  };
}
