// Engine processes started ahead: loading the runner (@pulumi/pulumi, the kind's module) takes a
// second or more, so a worker keeps loaded spares per kind and hands one the next run of that
// kind, starting its replacement right after. Still one run per OS process: a spare runs exactly one
// request, then exits. Its environment is the kind's engine environment, as a fresh one's would be.
// A replacement loads while the run that took its predecessor goes on. Runs that wait on AWS leave
// the cores idle for that; short CPU-bound runs on a worker whose cores they fill lose a little
// throughput to it (README, WORKER_WARM_ENGINE). Capping spares by idle cores was tried: it cost
// dispatch latency what it gained in throughput.
import type { RunResult } from "./protocol.ts";
import type { EngineSettings } from "./settings.ts";
import { type EngineProcess, forkEngine, type RunHooks, type RunRequestInput, runWith } from "./spawn.ts";

export interface WarmEngine {
  /** Same contract as runEngineProcess. */
  run(request: RunRequestInput, settings: EngineSettings, hooks?: RunHooks): Promise<RunResult>;
  /** Ends the spares (they would also end on their own once this process is gone). */
  close(): void;
}

/** `spares`: loaded engine processes kept per kind (the worker's concurrency: a burst finds one each). */
export function createWarmEngine(spares = 1): WarmEngine {
  const ready = new Map<string, { env: string; engine: EngineProcess }[]>();
  let closed = false;

  const refill = (env: Record<string, string>, kind: string, key: string) => {
    const pool = ready.get(kind) ?? [];
    while (!closed && pool.length < spares) pool.push({ env: key, engine: forkEngine(env, kind) });
    ready.set(kind, pool);
  };

  const take = (env: Record<string, string>, kind: string): EngineProcess => {
    const key = JSON.stringify(env);
    // Spares of another environment (settings changed) or that died are of no use.
    const pool = (ready.get(kind) ?? []).filter((spare) => {
      const usable = spare.env === key && !spare.engine.exited();
      if (!usable) spare.engine.child.kill("SIGKILL");
      return usable;
    });
    ready.set(kind, pool);
    const engine = pool.shift()?.engine ?? forkEngine(env, kind);
    // Replacements are forked once the spare has its request (runWith sends it first thing): a
    // fork holds this process for milliseconds, tens on a busy machine, that the run would wait.
    setImmediate(() => refill(env, kind, key));
    return engine;
  };

  return {
    run: (request, settings, hooks = {}) => runWith(request, settings, hooks, take),
    close() {
      closed = true;
      for (const pool of ready.values()) for (const { engine } of pool) engine.child.kill("SIGKILL");
      ready.clear();
    },
  };
}
