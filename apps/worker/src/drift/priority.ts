// Scheduled drift checks queue behind everything a person asked for. BullMQ hands out jobs without
// a priority before prioritized ones, so user operations never carry one and scheduled checks do:
// a user's operation then waits at most for the checks already running (one check's duration),
// never for the backlog of a fleet-wide schedule.
import { REQUESTED_BY_SCHEDULE } from "./drift-context.ts";

export const BACKGROUND_PRIORITY = 1000;

/** The queue priority of an operation asked for by `requestedBy`: none for people. */
export function priorityFor(requestedBy: string): number | undefined {
  return requestedBy === REQUESTED_BY_SCHEDULE ? BACKGROUND_PRIORITY : undefined;
}
