// Engine processes started ahead: loading the runner (tsx, @pulumi/pulumi, every kind's module)
// takes seconds, so a worker keeps loaded spares per kind and hands one the next run of that
// kind. Still one run per OS process: a spare runs exactly one request, then exits. Its
// environment is the kind's engine environment, as a fresh one's would be.
//
// Loading a spare costs a core for a second or two. While runs occupy every core, that load slows
// them more than a spare would save (bench figure 4: at concurrency 2 on 2 cores, spares started
// at once cost 1.57× the bare time against 1.35× without spares), so spares are kept only for the
// cores no run is using, and replaced when a run ends rather than when it starts.
import { availableParallelism } from "node:os";
import type { RunResult } from "./protocol.ts";
import type { EngineSettings } from "./settings.ts";
import { type EngineProcess, forkEngine, type RunHooks, type RunRequestInput, runWith } from "./spawn.ts";

export interface WarmEngine {
  /** Same contract as runEngineProcess. */
  run(request: RunRequestInput, settings: EngineSettings, hooks?: RunHooks): Promise<RunResult>;
  /** Ends the spares (they would also end on their own once this process is gone). */
  close(): void;
}

export interface SparePoolOptions {
  /** Spares kept per kind at most (the worker's concurrency: a burst finds one each). */
  spares: number;
  /** Cores the runs share. */
  cores?: number;
  fork?: (env: Record<string, string>) => EngineProcess;
}

export interface SparePool {
  /** An engine for a run of `kind`: a loaded spare if one fits `env`, else a fresh process. */
  take(env: Record<string, string>, kind: string): EngineProcess;
  /** A run of `kind` ended: its core is free for a spare again. */
  release(kind: string): void;
  close(): void;
}

export function createSparePool(options: SparePoolOptions): SparePool {
  const { spares, cores = availableParallelism(), fork = forkEngine } = options;
  const ready = new Map<string, { env: string; engine: EngineProcess }[]>();
  const envOf = new Map<string, Record<string, string>>();
  let running = 0;
  let closed = false;

  const refill = (kind: string) => {
    const env = envOf.get(kind);
    if (!env || closed) return;
    const key = JSON.stringify(env);
    const pool = ready.get(kind) ?? [];
    const wanted = Math.min(spares, Math.max(0, cores - running));
    while (pool.length < wanted) pool.push({ env: key, engine: fork(env) });
    ready.set(kind, pool);
  };

  return {
    take(env, kind) {
      const key = JSON.stringify(env);
      envOf.set(kind, env);
      // Spares of another environment (settings changed) or that died are of no use.
      const pool = (ready.get(kind) ?? []).filter((spare) => {
        const usable = spare.env === key && !spare.engine.exited();
        if (!usable) spare.engine.child.kill("SIGKILL");
        return usable;
      });
      ready.set(kind, pool);
      const engine = pool.shift()?.engine ?? fork(env);
      running += 1;
      refill(kind);
      return engine;
    },
    release(kind) {
      running -= 1;
      refill(kind);
    },
    close() {
      closed = true;
      for (const pool of ready.values()) for (const { engine } of pool) engine.child.kill("SIGKILL");
      ready.clear();
    },
  };
}

export function createWarmEngine(options: SparePoolOptions): WarmEngine {
  const pool = createSparePool(options);
  return {
    async run(request, settings, hooks = {}) {
      let took = false;
      try {
        return await runWith(request, settings, hooks, (env, kind) => {
          took = true;
          return pool.take(env, kind);
        });
      } finally {
        if (took) pool.release(request.stack.kind);
      }
    },
    close: () => pool.close(),
  };
}
