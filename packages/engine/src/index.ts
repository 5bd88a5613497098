export { loadEngineSettings } from "./config.ts";
export { type RevealedOutputs, readStackOutputs } from "./outputs.ts";
export type {
  EngineVerb,
  RunOutputs,
  RunRequest,
  RunResult,
} from "./protocol.ts";
export { failedRun } from "./protocol.ts";
export { type EngineSettings, engineEnvironment, engineSecrets } from "./settings.ts";
export { type RunHooks, type RunRequestInput, runEngineProcess } from "./spawn.ts";
export { createWarmEngine, type WarmEngine } from "./warm-engine.ts";
