// A run's final writes must outlive a dropped database session (a failover, a restart): they are
// tried again a few times before the run gives up and leaves the operation to recovery. Retrying
// is safe because each is one fenced transaction: one that did commit before its answer was lost
// matches no row the second time.
import type { Logger } from "@gantry/core";

const PAUSES_MS = [250, 500, 1000, 2000, 4000];

export async function persist<T>(what: string, write: () => Promise<T>, logger: Logger): Promise<T> {
  for (const pauseMs of PAUSES_MS) {
    try {
      return await write();
    } catch (err) {
      logger.warn({ err, pauseMs }, `could not write ${what}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  return write();
}
