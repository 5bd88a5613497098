// Ends the approvals nobody decided in time (GANTRY_APPROVAL_TTL_SECONDS): each worker looks as
// often as it sweeps for dead runs; the database's clock decides, so workers need not agree.
import type { Logger } from "@gantry/core";
import { type Db, expireApprovals } from "@gantry/db";

export function startApprovalExpiry(deps: {
  db: Pick<Db, "$transaction">;
  intervalMs: number;
  logger: Logger;
}) {
  let current: Promise<void> | undefined;
  const tick = () => {
    current ??= expireApprovals(deps.db)
      .then((ids) => {
        if (ids.length > 0) deps.logger.info({ operationIds: ids }, "approvals expired");
      })
      .catch((err) => deps.logger.warn({ err }, "could not expire approvals; will try again"))
      .finally(() => {
        current = undefined;
      });
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
