// Work that requests ask for in the same turn of the event loop, done once for all of them (one
// statement instead of one per request): DataLoader's batching, with its per-request cache off so
// nothing is answered from an earlier batch. Used where a statement's fixed costs (a pooled
// connection, the round trip, Postgres's per-statement work and commit) were most of a request's:
// the plain stack reads, the one-statement create and the audit insert (README, API performance).
import DataLoader from "dataloader";

/** The most keys one batch takes; more wait for the next. */
const MAX_BATCH = 100;

export function turnBatch<K, V>(run: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V> {
  return new DataLoader(run, {
    cache: false,
    maxBatchSize: MAX_BATCH,
    // Requests arrive in separate socket callbacks: DataLoader's default (once the current
    // callback's promises settle) would batch only what one callback asked for. setImmediate runs
    // once the loop has handled every socket that was ready.
    batchScheduleFn: (send) => setImmediate(send),
  });
}

/**
 * Each key on its own, an Error in place of each one that failed: for a batch whose one statement
 * failed as a whole because of one key, so that only that key's request fails. One after the
 * other, in the order they were asked for: of two creates of one name, the first asked wins.
 */
export async function eachAlone<K, V>(
  keys: readonly K[],
  run: (key: K) => Promise<V>,
): Promise<(V | Error)[]> {
  const results: (V | Error)[] = [];
  for (const key of keys) results.push(await run(key).catch(asError));
  return results;
}

/** A rejection as DataLoader takes it in a batch's results. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
