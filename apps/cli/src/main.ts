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
// Open keep-alive sockets would hold the process; stdout and stderr are synchronous on pipes and files.
process.exit(process.exitCode ?? EXIT.ok);
