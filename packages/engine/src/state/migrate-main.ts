// `node packages/engine/src/state/migrate-main.ts`: run by setup after the state
// backend is known, before any API or worker starts (they would otherwise open empty stacks). It
// moves the stacks of the earlier file backend into the configured one; see file-state-migration.
import { loadEngineSettings } from "../config.ts";
import { fileStateDir, migrateFileState } from "./file-state-migration.ts";

const dataDir = process.env.GANTRY_DATA_DIR;
if (!dataDir) throw new Error("GANTRY_DATA_DIR is unset: run through scripts/gantry.sh setup");
const result = await migrateFileState(loadEngineSettings(), fileStateDir(dataDir));
if (result.keptAt) {
  process.stderr.write(
    `setup: moved ${result.moved.length} stack(s) from the file state backend to the configured one ` +
      `(${result.present.length} were there already); the old state is kept at ${result.keptAt}\n`,
  );
}
