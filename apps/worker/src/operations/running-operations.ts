// The operations this worker process is running, each with the controller that stops its engine.
// Cancel requests and shutdown reach a run through here.

export type StopReason = "cancel" | "shutdown" | "lost-lock";

export interface RunningOperation {
  controller: AbortController;
  stopReason?: StopReason;
}

export function createRunningOperations() {
  const runs = new Map<string, RunningOperation>();
  return {
    start(operationId: string): RunningOperation {
      const run: RunningOperation = { controller: new AbortController() };
      runs.set(operationId, run);
      return run;
    },
    end(operationId: string): void {
      runs.delete(operationId);
    },
    has: (operationId: string) => runs.has(operationId),
    ids: () => [...runs.keys()],
    /** Asks one run to stop: its engine gets one SIGINT. Returns whether it runs here. */
    stop(operationId: string, reason: StopReason): boolean {
      const run = runs.get(operationId);
      if (!run) return false;
      if (!run.stopReason) {
        run.stopReason = reason;
        run.controller.abort();
      }
      return true;
    },
    stopAll(reason: StopReason): void {
      for (const id of runs.keys()) this.stop(id, reason);
    },
  };
}

export type RunningOperations = ReturnType<typeof createRunningOperations>;
