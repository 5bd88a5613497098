// A keyed work queue: a key waits at most once, is never worked on twice at once, and a key
// enqueued while it is being worked on runs again afterwards (so no change is missed).

export interface WorkQueue {
  add(key: string, delayMs?: number): void;
  /** Resolves when the queue is stopped and the items under way have finished. */
  stop(): Promise<void>;
}

export function createWorkQueue(
  work: (key: string) => Promise<number | undefined>,
  concurrency: number,
): WorkQueue {
  const ready: string[] = [];
  const queued = new Set<string>();
  const active = new Set<string>();
  const again = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  function add(key: string, delayMs = 0): void {
    if (stopped) return;
    if (delayMs > 0) {
      if (timers.has(key) || queued.has(key)) return;
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          add(key);
        }, delayMs),
      );
      return;
    }
    if (active.has(key)) {
      again.add(key);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    ready.push(key);
    pump();
  }

  function pump(): void {
    while (!stopped && active.size < concurrency) {
      const index = ready.findIndex((k) => !active.has(k));
      if (index < 0) return;
      const [key] = ready.splice(index, 1) as [string];
      queued.delete(key);
      active.add(key);
      const run = (async () => {
        let requeueMs: number | undefined;
        try {
          requeueMs = await work(key);
        } finally {
          active.delete(key);
          if (again.delete(key)) add(key);
          else if (requeueMs !== undefined) add(key, requeueMs);
        }
      })();
      running.add(run);
      void run.finally(() => {
        running.delete(run);
        pump();
      });
    }
  }

  return {
    add,
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
