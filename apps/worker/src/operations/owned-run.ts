// The frame of every engine run a worker owns, a normal run or a recovery: the run is registered
// (so a cancel, a shutdown or a lost lease can stop its engine), its lease is renewed while the
// body runs, and both end with the body whatever happens to it.
import type { Logger } from "@gantry/core";
import type { Db, Prisma, RunOwner } from "@gantry/db";
import { STACK_FOR_RUN } from "./engine-run.ts";
import { holdLease } from "./lease.ts";
import type { RunningOperation, RunningOperations } from "./running-operations.ts";

export type OperationForRun = Prisma.OperationGetPayload<{
  include: { stack: { include: typeof STACK_FOR_RUN } };
}>;

export interface OwnedRunDeps {
  db: Db;
  running: RunningOperations;
  leaseMs: number;
}

export async function withOwnedRun<T>(
  deps: OwnedRunDeps,
  owner: RunOwner,
  options: { log: Logger; stopOnCancel: boolean },
  body: (run: { running: RunningOperation; op: OperationForRun }) => Promise<T>,
): Promise<T> {
  const { operationId } = owner;
  const running = deps.running.start(operationId);
  const lease = holdLease({
    db: deps.db,
    owner,
    leaseMs: deps.leaseMs,
    onCancelRequested: () => {
      if (options.stopOnCancel) deps.running.stop(operationId, "cancel");
    },
    onLost: () => deps.running.stop(operationId, "lost-ownership"),
    logger: options.log,
  });
  try {
    const op = await deps.db.operation.findUniqueOrThrow({
      where: { id: operationId },
      include: { stack: { include: STACK_FOR_RUN } },
    });
    return await body({ running, op });
  } finally {
    lease.stop();
    deps.running.end(operationId);
  }
}
