// Engine processes for one operation's stack: the request built from the stack and its
// dependencies, and the operation's event log that every engine process of the run appends to.
import type { Logger } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import type {
  EngineSettings,
  EngineVerb,
  RunHooks,
  RunRequestInput,
  RunResult,
  runEngineProcess,
} from "@gantry/engine";
import { specRegistryFor } from "@gantry/stacks/specs";
import { openEventWriter } from "./event-writer.ts";

export interface EngineRunDeps {
  db: Db;
  engine: EngineSettings;
  runEngine: typeof runEngineProcess;
  /** Whether engine events are stored (on unless switched off to measure their cost). */
  storeEvents: boolean;
}

/**
 * What a run needs of its stack's relations: the team's name, and who its dependencies are (those
 * released by a change too: a run of a spec from before it may still use them).
 */
export const STACK_FOR_RUN = {
  team: { select: { name: true } },
  dependsOn: { select: { releasedAt: true, dependsOn: { select: { id: true, name: true, kind: true } } } },
} as const satisfies Prisma.StackInclude;
export type StackForRun = Prisma.StackGetPayload<{ include: typeof STACK_FOR_RUN }>;

/** The kinds' rules, without their programs: which dependencies a spec uses. */
const kindRules = specRegistryFor({ benchKinds: false });

/** The dependencies a run of `spec` uses: only these reach its program (README, Dependencies). */
export function dependenciesInUse(stack: StackForRun, spec: unknown): StackForRun["dependsOn"] {
  const all = stack.dependsOn.map((row) => ({ ...row.dependsOn, row }));
  return kindRules.dependenciesInUse(stack.kind, spec, all).map((d) => d.row);
}

/** Released dependencies that a successful up of `spec` leaves behind for good: their rows go. */
export function releasedAfter(stack: StackForRun, spec: unknown): string[] {
  const used = new Set(dependenciesInUse(stack, spec).map((row) => row.dependsOn.id));
  return stack.dependsOn
    .filter((row) => row.releasedAt !== null && !used.has(row.dependsOn.id))
    .map((row) => row.dependsOn.id);
}

/** The engine request for a stack, without its verb. */
export type StackRequest = Omit<RunRequestInput, "verb">;

export function stackRequest(
  stack: StackForRun,
  spec: unknown,
  secretInputs?: Record<string, string>,
  blueprintVersion?: number | null,
): StackRequest {
  return {
    // The operation's own (an up or preview that moves it), else the one the stack has.
    blueprintVersion: blueprintVersion ?? stack.blueprintVersion ?? 1,
    ...(secretInputs ? { secretInputs } : {}),
    stack: { id: stack.id, kind: stack.kind, name: stack.name, teamName: stack.team.name },
    spec,
    dependencies: dependenciesInUse(stack, spec).map(({ dependsOn }) => ({
      id: dependsOn.id,
      name: dependsOn.name,
      kind: dependsOn.kind,
    })),
  };
}

/**
 * Runs `fn` with engine hooks that append to the operation's event log (and stop the engine when
 * `signal` aborts, or kill it when `kill` does); the log is complete when this resolves.
 */
export async function withEventLog<T>(
  deps: EngineRunDeps,
  operationId: string,
  context: { log: Logger; signal?: AbortSignal; kill?: AbortSignal },
  fn: (hooks: RunHooks) => Promise<T>,
): Promise<T> {
  const { log, signal, kill } = context;
  const events = openEventWriter({ db: deps.db, logger: log, store: deps.storeEvents }, operationId);
  try {
    return await fn({
      onEvent: (event) => events.push(event),
      signal,
      kill,
      logger: log,
      onStarted: (pid) => log.info({ enginePid: pid }, "engine process started"),
    });
  } finally {
    await events.close();
  }
}

/** One engine process with one verb for the operation's stack. */
export function runEngineFor(
  deps: EngineRunDeps,
  run: {
    operationId: string;
    verb: EngineVerb;
    stack: StackForRun;
    spec: unknown;
    secretInputs?: Record<string, string> | undefined;
    blueprintVersion?: number | null;
  } & Pick<RunRequestInput, "savePlan" | "plan" | "previewOnly">,
  context: { log: Logger; signal?: AbortSignal; kill?: AbortSignal },
): Promise<RunResult> {
  const { savePlan, plan, previewOnly } = run;
  const planning = { savePlan, plan, previewOnly };
  return withEventLog(deps, run.operationId, context, (hooks) =>
    deps.runEngine(
      {
        ...stackRequest(run.stack, run.spec, run.secretInputs, run.blueprintVersion),
        verb: run.verb,
        ...planning,
      },
      deps.engine,
      hooks,
    ),
  );
}
