// The life of one operation in the worker: claim it, hold its stack, run the engine in a process
// of its own, store events as they come, and write the outcome back to Postgres.
import type { Logger, OperationKind, StackStatus } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import {
  type EngineSettings,
  type EngineVerb,
  engineEnvironment,
  type RunResult,
  type runEngineProcess,
} from "@gantry/engine";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { isDriftKind, runDriftOperation } from "../drift/drift-operations.ts";
import type { Notify } from "../webhooks/webhook-events.ts";
import { checkDependencies, type DependencyGate } from "./dependency-gate.ts";
import { createEventWriter } from "./event-writer.ts";
import { lockStack } from "./stack-lock.ts";
import { statusAfter, statusWhileRunning } from "./transitions.ts";

export interface RunOperationDeps {
  db: Db;
  databaseUrl: string;
  engine: EngineSettings;
  runEngine: typeof runEngineProcess;
  workerId: string;
  logger: Logger;
  /** Webhook notifications (drift detected/resolved, operation finished); absent: none configured. */
  notify?: Notify;
}

const VERBS: Partial<Record<OperationKind, EngineVerb>> = {
  up: "up",
  preview: "preview",
  refresh: "refresh",
  destroy: "destroy",
};

/** What became of a delivery: the operation ran (or had nothing to do), or it waits for dependencies. */
export type RunOutcome = { state: "done" } | { state: "waiting"; waitingFor: string[] };

export async function runOperation(
  deps: RunOperationDeps,
  operationId: string,
  signal?: AbortSignal,
): Promise<RunOutcome> {
  const log = deps.logger.child({ operationId });
  const queued = await deps.db.operation.findUnique({
    where: { id: operationId },
    select: { stackId: true, status: true, kind: true, createdAt: true, stack: { select: { kind: true } } },
  });
  if (queued?.status !== "queued") {
    log.info({ status: queued?.status }, "operation is not queued; nothing to do");
    return { state: "done" };
  }
  // A platform that cannot run this kind at all (no AWS credentials) fails the run at once rather
  // than after a wait. Destroying never needs the dependencies; everything else reads their outputs.
  const unrunnable = platformProblem(deps.engine, queued.stack.kind);
  const gate: DependencyGate = unrunnable
    ? { state: "blocked", message: unrunnable }
    : queued.kind === "destroy"
      ? { state: "open" }
      : await checkDependencies(deps.db, queued.stackId, queued.createdAt);
  if (gate.state === "wait") {
    log.info({ waitingFor: gate.waitingFor }, "waiting for dependencies");
    return { state: "waiting", waitingFor: gate.waitingFor };
  }

  const lock = await lockStack(deps.databaseUrl, queued.stackId);
  try {
    const claimed = await deps.db.operation.updateMany({
      where: { id: operationId, status: "queued" },
      data: { status: "running", startedAt: new Date(), workerId: deps.workerId, attempts: { increment: 1 } },
    });
    if (claimed.count === 0) return { state: "done" }; // another delivery of the same job got here first

    const op = await deps.db.operation.findUniqueOrThrow({
      where: { id: operationId },
      include: { stack: { include: { team: true, dependsOn: { include: { dependsOn: true } } } } },
    });
    const kind = op.kind as OperationKind;
    const before = op.stack.status as StackStatus;
    await deps.db.stack.update({
      where: { id: op.stackId },
      data: { status: statusWhileRunning(kind, before) },
    });

    const result =
      gate.state === "blocked"
        ? failure(gate.message, unrunnable === undefined)
        : await execute(deps, op, kind, log, signal);
    await finish(deps.db, op.id, op.stackId, kind, before, result);
    await deps.notify?.({ event: "operation.finished", operationId: op.id });
    log.info({ kind, ok: result.ok, summary: result.summary }, "operation finished");
    return { state: "done" };
  } finally {
    await lock.release();
  }
}

type LoadedOperation = Prisma.OperationGetPayload<{
  include: { stack: { include: { team: true; dependsOn: { include: { dependsOn: true } } } } };
}>;

async function execute(
  deps: RunOperationDeps,
  op: LoadedOperation,
  kind: OperationKind,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<RunResult> {
  const verb = VERBS[kind];
  if (!verb && !isDriftKind(kind)) return failure(`operation kind "${kind}" is not supported yet`, false);

  const dependencies = op.stack.dependsOn.map(({ dependsOn }) => ({
    id: dependsOn.id,
    name: dependsOn.name,
    kind: dependsOn.kind,
  }));

  const events = createEventWriter({ db: deps.db, logger: log }, op.id);
  const stack = { id: op.stack.id, kind: op.stack.kind, name: op.stack.name, teamName: op.stack.team.name };
  const hooks = { onEvent: (event: EngineEvent) => events.push(event), signal, logger: log };
  try {
    // Drift checks and remediations run several engine processes each (drift/).
    if (isDriftKind(kind)) {
      const request = { stack, spec: op.spec, dependencies };
      return await runDriftOperation(deps, kind, { operation: op, request, hooks });
    }
    if (!verb) return failure(`operation kind "${kind}" is not supported yet`, false);
    return await deps.runEngine({ verb, stack, spec: op.spec, dependencies }, deps.engine, hooks);
  } finally {
    await events.close();
  }
}

async function finish(
  db: Db,
  operationId: string,
  stackId: string,
  kind: OperationKind,
  before: StackStatus,
  result: RunResult,
): Promise<void> {
  const json = (value: unknown) => (value ?? undefined) as Prisma.InputJsonValue | undefined;
  await db.$transaction([
    db.operation.update({
      where: { id: operationId },
      data: {
        status: result.ok ? "succeeded" : "failed",
        finishedAt: new Date(),
        summary: json(result.summary),
        error: json(result.error),
      },
    }),
    db.stack.update({
      where: { id: stackId },
      data: {
        status: statusAfter(kind, before, result.ok),
        lastOperationId: operationId,
        ...(result.outputs
          ? { outputs: json(result.outputs.values), secretOutputs: result.outputs.secretNames }
          : {}),
      },
    }),
  ]);
}

function platformProblem(engine: EngineSettings, kindName: string): string | undefined {
  try {
    engineEnvironment(engine, kindName);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function failure(message: string, retryable: boolean): RunResult {
  return { ok: false, summary: null, outputs: null, error: { message, retryable } };
}
