export { loadEngineSettings } from "./config.ts";
export { readStackOutputs, type RevealedOutputs } from "./outputs.ts";
export type { EngineVerb, RunOutputs, RunRequest, RunResult } from "./protocol.ts";
export { type RunHooks, runEngineProcess } from "./spawn.ts";
export { type EngineSettings, engineEnvironment, engineSecrets, pulumiNames } from "./settings.ts";
