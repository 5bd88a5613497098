// The operations this worker process is running, each with what stops its engine. Cancel requests,
// shutdown and the loss of a run's guard reach a run through here.

/**
 * Why a run was stopped. `lost-ownership`: the run's stack lock session broke, its lease could not
 * be renewed in time, or another worker took the run over; its engine is killed outright, since
 * another worker may be about to run the stack. The others stop it gracefully (one SIGINT).
 */
export type StopReason = "cancel" | "shutdown" | "lost-ownership";

export interface RunningOperation {
  /** Aborts with one SIGINT to the engine. */
  controller: AbortController;
  /** Aborts with a SIGKILL of the engine's whole session. */
  killer: AbortController;
  stopReason?: StopReason;
}

export function createRunningOperations() {
  const runs = new Map<string, RunningOperation>();
  return {
    start(operationId: string): RunningOperation {
      const run: RunningOperation = { controller: new AbortController(), killer: new AbortController() };
      runs.set(operationId, run);
      return run;
    },
    end(operationId: string): void {
      runs.delete(operationId);
    },
    has: (operationId: string) => runs.has(operationId),
    ids: () => [...runs.keys()],
    /** Asks one run to stop. Returns whether it runs here. */
    stop(operationId: string, reason: StopReason): boolean {
      const run = runs.get(operationId);
      if (!run) return false;
      if (reason === "lost-ownership") {
        // Whatever stop was asked before, losing the run ends the engine now.
        run.stopReason = reason;
        run.killer.abort();
      } else if (!run.stopReason) {
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
