export {
  approveWaiting,
  awaitApproval,
  closeWaiting,
  expireApprovals,
  lockWaiting,
} from "./approval-lifecycle.ts";
export { isFirstInLine, nextInLine } from "./line.ts";
export {
  assertOwner,
  type ClaimedRun,
  cancelQueued,
  claimOperation,
  type FinalStatus,
  finishRun,
  LostRunError,
  type RunEnd,
  type RunningRun,
  type RunOwner,
  renewLease,
  requeueRun,
  runningRuns,
  takeOverRun,
} from "./operation-lifecycle.ts";
export { OPERATION_TRANSITIONS } from "./transitions.ts";
