// The baseline of the engine-overhead figures: what a homegrown pipeline does for one run. A fresh
// process runs the pg-database program through the Automation API (inline program, LocalWorkspace),
// with the environment Gantry's engine gets and the same kind of state backend, and nothing else:
// no API, queue, database bookkeeping or event storage. It imports only the pg-database module,
// as a pipeline built for that one program would.
//
// Usage (see bench/support/bare.ts): node bench/baseline/bare-run.ts '<json request>'
// Prints one JSON line {ok, summary?, error?} and exits 0 when the run succeeded.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";
import { driftCheck } from "../../packages/engine/src/runner/drift.ts";
import { pgDatabase } from "../../packages/stacks/src/kinds/pg-database/index.ts";
import { pgDatabaseSpec } from "../../packages/stacks/src/kinds/pg-database/spec.ts";
import { physicalName } from "../../packages/stacks/src/physical-name.ts";

export interface BareRequest {
  /** "start" only loads the program and exits: a pipeline's process start, for figure 2. */
  verb: "up" | "preview" | "refresh" | "drift-check" | "destroy" | "start";
  /** Pulumi stack name (a Gantry stack id would be the same shape). */
  stackName: string;
  teamName: string;
  name: string;
  spec: Record<string, unknown>;
  secretsProvider: string;
}

// Inside the repository tree, like the engine's runs: the dynamic provider resolves pg from here.
const RUNS_DIR = fileURLToPath(new URL("../.work/", import.meta.url));

async function main(request: BareRequest): Promise<Record<string, unknown>> {
  if (request.verb === "start") return {};
  await mkdir(RUNS_DIR, { recursive: true });
  const workDir = await mkdtemp(join(RUNS_DIR, "bare-"));
  try {
    const spec = pgDatabaseSpec.parse(request.spec);
    const program = async () =>
      pgDatabase.program({
        spec,
        secretInputs: {},
        stack: { id: request.stackName, name: request.name, teamName: request.teamName },
        physicalName: physicalName(request.teamName, request.name),
        dependencies: [],
      });
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: "bare-pg-database", stackName: request.stackName, program },
      {
        workDir,
        projectSettings: { name: "bare-pg-database", runtime: "nodejs" },
        secretsProvider: request.secretsProvider,
      },
    );
    const options = { color: "never" as const };
    switch (request.verb) {
      case "up":
        return { summary: (await stack.up(options)).summary.resourceChanges };
      case "preview":
        return { summary: (await stack.preview(options)).changeSummary };
      case "refresh":
        return { summary: (await stack.refresh(options)).summary.resourceChanges };
      case "drift-check": {
        // What Gantry's drift check is: a preview-only refresh, through the CLI itself as the
        // engine runs it (3.163's Automation API cannot run one: it adds --yes).
        const result = await driftCheck(stack, workDir, {
          onEvent: () => undefined,
          signal: new AbortController().signal,
        });
        return { summary: result.summary };
      }
      case "destroy": {
        const result = await stack.destroy(options);
        await stack.workspace.removeStack(request.stackName);
        return { summary: result.summary.resourceChanges };
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

try {
  const result = await main(JSON.parse(process.argv[2] ?? "{}") as BareRequest);
  console.log(JSON.stringify({ ok: true, ...result }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: (err as Error).message.slice(0, 2000) }));
  process.exitCode = 1;
}
