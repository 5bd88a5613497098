// One engine process for one operation's stack: the request built from the stack and its
// dependencies, the events stored as they come.
import type { Logger } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import type { EngineSettings, EngineVerb, RunResult, runEngineProcess } from "@gantry/engine";
import { openEventWriter } from "./event-writer.ts";

export interface EngineRunDeps {
  db: Db;
  engine: EngineSettings;
  runEngine: typeof runEngineProcess;
  /** Whether engine events are stored (on unless switched off to measure their cost). */
  storeEvents: boolean;
}

export const STACK_FOR_RUN = {
  team: true,
  dependsOn: { include: { dependsOn: true } },
} as const satisfies Prisma.StackInclude;
export type StackForRun = Prisma.StackGetPayload<{ include: typeof STACK_FOR_RUN }>;

export async function runEngineFor(
  deps: EngineRunDeps,
  run: { operationId: string; verb: EngineVerb; stack: StackForRun; spec: unknown },
  hooks: { log: Logger; signal?: AbortSignal; onStarted?: (pid: number) => void },
): Promise<RunResult> {
  const { stack } = run;
  const events = await openEventWriter(
    { db: deps.db, logger: hooks.log, store: deps.storeEvents },
    run.operationId,
  );
  try {
    return await deps.runEngine(
      {
        verb: run.verb,
        stack: { id: stack.id, kind: stack.kind, name: stack.name, teamName: stack.team.name },
        spec: run.spec,
        dependencies: stack.dependsOn.map(({ dependsOn }) => ({
          id: dependsOn.id,
          name: dependsOn.name,
          kind: dependsOn.kind,
        })),
      },
      deps.engine,
      {
        onEvent: (event) => events.push(event),
        signal: hooks.signal,
        logger: hooks.log,
        onStarted: (pid) => {
          hooks.log.info({ enginePid: pid, verb: run.verb }, "engine process started");
          hooks.onStarted?.(pid);
        },
      },
    );
  } finally {
    await events.close();
  }
}
