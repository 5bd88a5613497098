// Plain stack reads (outside a change's transaction) share statements when they arrive together:
// the reads by id that arrive in one turn of the event loop are one statement (whichever teams
// they are for), and identical list reads (same team, same filter and page) are one statement.
// Under the polling that portals and pipelines do, a statement's fixed costs (a pooled connection,
// the round trip, Postgres's per-statement work) were most of a read's (README, API performance);
// shared, a read costs little more than its rows.
//
// Each read still sees every write committed before its request arrived: a batch's statement is
// sent after the turn in which its reads were asked for, never answered from an earlier statement
// or a cache. The stacks a batch loads are shared by the reads that asked for them: nothing
// downstream (the view, the serializer) changes a LoadedStack.
import DataLoader from "dataloader";
import type pg from "pg";
import { readStacks, readStacksById, type StackFilter } from "./stack-reads.ts";
import type { LoadedStack } from "./stack-view.ts";

export interface BatchedStackReads {
  /** One of the team's stacks, or undefined. `id` must be a UUID (a batch's statement casts them all). */
  get(teamId: string, id: string): Promise<LoadedStack | undefined>;
  /** A page of the team's stacks (readStacks). */
  list(teamId: string, filter: StackFilter): Promise<LoadedStack[]>;
}

/** The most reads one statement answers; more wait for the next. */
const MAX_BATCH = 100;

const OPTIONS = {
  cache: false,
  maxBatchSize: MAX_BATCH,
  // Requests arrive in separate socket callbacks: DataLoader's default (once the current callback's
  // promises settle) would batch only reads begun in one callback. setImmediate runs once the loop
  // has handled every socket that was ready.
  batchScheduleFn: (run: () => void) => setImmediate(run),
} as const;

export function createBatchedStackReads(pool: pg.Pool): BatchedStackReads {
  const byId = new DataLoader<{ teamId: string; id: string }, LoadedStack | undefined>(async (keys) => {
    const stacks = await readStacksById(pool, [...new Set(keys.map((key) => key.id))]);
    return keys.map(({ teamId, id }) => {
      const stack = stacks.get(id);
      return stack?.teamId === teamId ? stack : undefined;
    });
  }, OPTIONS);

  const pages = new DataLoader<{ teamId: string; filter: StackFilter }, LoadedStack[]>(async (keys) => {
    const reads = new Map<string, Promise<LoadedStack[] | Error>>();
    return Promise.all(
      keys.map(({ teamId, filter }) => {
        const key = JSON.stringify([teamId, filter]);
        let read = reads.get(key);
        if (!read) {
          // One failed page fails only the reads that asked for it.
          read = readStacks(pool, teamId, filter).catch((err: unknown) =>
            err instanceof Error ? err : new Error(String(err)),
          );
          reads.set(key, read);
        }
        return read;
      }),
    );
  }, OPTIONS);

  return {
    get: (teamId, id) => byId.load({ teamId, id }),
    list: (teamId, filter) => pages.load({ teamId, filter }),
  };
}
