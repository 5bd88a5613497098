// The life of one operation in the worker: claim it, hold its stack, run the engine in a process
// of its own, store events as they come, and write the outcome back to Postgres.
import type { Logger, OperationKind, StackStatus } from "@gantry/core";
import type { Db, Prisma } from "@gantry/db";
import type { EngineSettings, EngineVerb, RunResult, runEngineProcess } from "@gantry/engine";
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
}

const VERBS: Partial<Record<OperationKind, EngineVerb>> = {
  up: "up",
  preview: "preview",
  refresh: "refresh",
  destroy: "destroy",
};

export async function runOperation(
  deps: RunOperationDeps,
  operationId: string,
  signal?: AbortSignal,
): Promise<void> {
  const log = deps.logger.child({ operationId });
  const queued = await deps.db.operation.findUnique({
    where: { id: operationId },
    select: { stackId: true, status: true },
  });
  if (queued?.status !== "queued") {
    log.info({ status: queued?.status }, "operation is not queued; nothing to do");
    return;
  }

  const lock = await lockStack(deps.databaseUrl, queued.stackId);
  try {
    const claimed = await deps.db.operation.updateMany({
      where: { id: operationId, status: "queued" },
      data: { status: "running", startedAt: new Date(), workerId: deps.workerId, attempts: { increment: 1 } },
    });
    if (claimed.count === 0) return; // another delivery of the same job got here first

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

    const result = await execute(deps, op, kind, log, signal);
    await finish(deps.db, op.id, op.stackId, kind, before, result);
    log.info({ kind, ok: result.ok, summary: result.summary }, "operation finished");
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
  if (!verb) return failure(`operation kind "${kind}" is not supported yet`, false);

  const notReady = op.stack.dependsOn
    .filter((d) => d.dependsOn.status !== "ready")
    .map((d) => d.dependsOn.name);
  if (notReady.length > 0 && kind !== "destroy") {
    return failure(`dependencies are not ready: ${notReady.join(", ")}`, true);
  }
  const dependencies = op.stack.dependsOn.map(({ dependsOn }) => ({
    id: dependsOn.id,
    name: dependsOn.name,
    kind: dependsOn.kind,
  }));

  const events = createEventWriter({ db: deps.db, logger: log }, op.id);
  try {
    return await deps.runEngine(
      {
        verb,
        stack: { id: op.stack.id, kind: op.stack.kind, name: op.stack.name, teamName: op.stack.team.name },
        spec: op.spec,
        dependencies,
      },
      deps.engine,
      { onEvent: (event) => events.push(event), signal, logger: log },
    );
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

function failure(message: string, retryable: boolean): RunResult {
  return { ok: false, summary: null, outputs: null, error: { message, retryable } };
}
