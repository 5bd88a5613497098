// The `gantry` process: runs one command and exits with its code (see exit-codes.ts).
import { CommanderError } from "commander";
import { describeFailure, EXIT } from "./exit-codes.ts";
import { buildProgram } from "./program.ts";

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version end here too (code 0); anything else commander refused is a usage error.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const { message, exitCode } = describeFailure(err);
    process.stderr.write(`gantry: ${message}\n`);
    process.exitCode = exitCode;
  }
}
// Exits explicitly (open keep-alive sockets would hold the process), but only once stdout and
// stderr are flushed: into a pipe that is not being read fast enough, writes are asynchronous.
const code = Number(process.exitCode ?? EXIT.ok);
let open = 2;
const flushed = () => {
  open -= 1;
  if (open === 0) process.exit(code);
};
process.stdout.write("", flushed);
process.stderr.write("", flushed);
