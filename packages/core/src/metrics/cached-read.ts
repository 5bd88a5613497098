// Figures read from a database or a queue at scrape time are read at most once per `ttlMs`, and
// concurrent scrapes (several Prometheus replicas) share one read: a scrape never costs more than
// one cheap query however often it comes.
export function cachedRead<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (value && now - value.at < ttlMs) return value.promise;
    const promise = read();
    value = { at: now, promise };
    // A failed read is not kept: the next scrape tries again.
    promise.catch(() => {
      if (value?.promise === promise) value = undefined;
    });
    return promise;
  };
}
