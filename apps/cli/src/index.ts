// @gantry/cli as a library, for tests: the command tree and the exit codes.
export { EXIT } from "./exit-codes.ts";
export { buildProgram } from "./program.ts";
