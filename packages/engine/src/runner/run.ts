// One Pulumi operation, run through the Automation API with the kind's program as an inline
// program. Called in a process of its own (see main.ts): the engine keeps global state per process.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  loadKind,
  physicalName,
  pulumiNames,
  readDependencies,
  SECRET_INPUTS_OUTPUT,
} from "@gantry/stacks/engine";
import { specRegistryFor } from "@gantry/stacks/specs";
import * as pulumi from "@pulumi/pulumi";
import {
  type EngineEvent,
  LocalWorkspace,
  type OutputMap,
  type Stack,
} from "@pulumi/pulumi/automation/index.js";
import type { RunOutputs, RunRequest, RunResult } from "../protocol.ts";
import { findAwsCredentials } from "./aws-credentials.ts";
import { driftCheck } from "./drift.ts";
import { dropRepeats } from "./event-sequence.ts";
import { previewInFull } from "./full-preview.ts";
import { resolveSecretInputs } from "./secret-inputs.ts";
import { toChangeSummary } from "./summary.ts";
import { createWorkDir, RUNS_DIR } from "./work-dirs.ts";

export async function run(
  request: RunRequest,
  options: { onEvent: (event: EngineEvent) => void; signal: AbortSignal },
): Promise<RunResult> {
  const workDir = await createWorkDir(RUNS_DIR, request.stack.id);
  // The Automation API puts each command's event log under the temp directory: inside the work
  // directory, it is removed with it, also by the sweep after a kill (work-dirs.ts).
  process.env.TMPDIR = workDir;
  try {
    return await runIn(workDir, request, options);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function runIn(
  workDir: string,
  request: RunRequest,
  options: { onEvent: (event: EngineEvent) => void; signal: AbortSignal },
): Promise<RunResult> {
  // This kind's program only (its process may have loaded it ahead: main.ts); the others' spec
  // side for the dependencies' outputs.
  const specs = specRegistryFor({ benchKinds: request.benchKinds });
  const kind = await loadKind(request.stack.kind, { benchKinds: request.benchKinds });
  if (!kind) throw new Error(`unknown kind "${request.stack.kind}"`);
  // Reading outputs needs only the state; everything else reads or changes the cloud's resources.
  const usesCloud = kind.usesCloud?.(request.spec) ?? true;
  if (kind.cloud === "aws" && usesCloud && request.verb !== "outputs") await findAwsCredentials();
  const { projectName, stackName } = pulumiNames(request.stack);
  const context = {
    spec: request.spec,
    stack: { id: request.stack.id, name: request.stack.name, teamName: request.stack.teamName },
    physicalName: physicalName(request.stack.teamName, request.stack.name),
    blueprintVersion: request.blueprintVersion ?? 1,
  };
  const secretNames = specs.secretInputs(kind.name);
  // Set before the program runs (below, once the stack is open): the plaintext stays in this process.
  let secretValues: Record<string, string> = {};
  const program = async () => {
    const outputs = await kind.program({
      ...context,
      dependencies: await readDependencies(request.dependencies, specs.getKind),
      secretInputs: Object.fromEntries(
        Object.entries(secretValues).map(([name, value]) => [name, pulumi.secret(value)]),
      ),
      // biome-ignore lint/suspicious/noExplicitAny: loadKind answers kinds of any spec type
    } as any);
    // Kept in the encrypted state, for the next run whose spec keeps them ([set], no hand-off).
    return secretNames.length > 0
      ? { ...outputs, [SECRET_INPUTS_OUTPUT]: pulumi.secret(secretValues) }
      : outputs;
  };
  // Reading outputs or checking drift must not create a stack that does not exist.
  const open =
    request.verb === "outputs" || request.verb === "drift-check" ? "selectStack" : "createOrSelectStack";
  const stack = await LocalWorkspace[open](
    { projectName, stackName, program },
    {
      workDir,
      // The backend URL reaches the CLI through PULUMI_BACKEND_URL in this process's environment.
      projectSettings: { name: projectName, runtime: "nodejs" },
      secretsProvider: request.secretsProvider,
    },
  );
  if (secretNames.length > 0 && (request.verb === "up" || request.verb === "preview"))
    secretValues = await resolveSecretInputs(
      secretNames,
      (request.spec ?? {}) as Record<string, unknown>,
      request.secretInputs ?? {},
      stack,
    );
  // The engine's update plan file, in the work directory (removed with it): written by a preview
  // that saves one, read by an up that applies one (README, Approvals).
  const planFile = join(workDir, "update-plan.json");
  if (request.verb === "up" && request.plan !== undefined)
    await writeFile(planFile, request.plan, { mode: 0o600 });
  const common = { onEvent: dropRepeats(options.onEvent), signal: options.signal, color: "never" as const };
  switch (request.verb) {
    case "up": {
      const exact = request.plan !== undefined ? { plan: planFile } : {};
      const result = await stack.up({ ...common, refresh: request.refresh, ...exact });
      return {
        ok: true,
        summary: toChangeSummary(result.summary.resourceChanges),
        // up() has read the outputs already (two CLI calls): no need to read them again.
        outputs: toRunOutputs(result.outputs),
        error: null,
      };
    }
    case "preview": {
      // A preview (and a destroy's preview) also collects its per-resource plan from its events.
      const save = request.savePlan ? { plan: planFile } : {};
      const { result, changes } = await previewInFull(
        (onEvent) => stack.preview({ ...common, onEvent, refresh: request.refresh, ...save }),
        options.onEvent,
      );
      return {
        ok: true,
        summary: toChangeSummary(result.changeSummary),
        outputs: null,
        error: null,
        changes,
        ...(request.savePlan ? { plan: await readFile(planFile, "utf8") } : {}),
      };
    }
    case "refresh":
      return refreshed(stack, common);
    case "destroy": {
      if (request.previewOnly) {
        const { result, changes } = await previewInFull(
          (onEvent) => stack.destroy({ ...common, onEvent, previewOnly: true }),
          options.onEvent,
        );
        return {
          ok: true,
          summary: toChangeSummary(result.summary.resourceChanges),
          outputs: null,
          error: null,
          changes,
        };
      }
      const result = await stack.destroy(common);
      // The stack's history goes with it: a destroyed Gantry stack leaves nothing in the backend.
      await stack.workspace.removeStack(stackName);
      return {
        ok: true,
        summary: toChangeSummary(result.summary.resourceChanges),
        outputs: { values: {}, secretNames: [] },
        error: null,
      };
    }
    case "drift-check":
      return driftCheck(stack, workDir, options);
    case "outputs":
      return {
        ok: true,
        summary: null,
        outputs: toRunOutputs(await stack.outputs(), { reveal: true }),
        error: null,
      };
    case "recover": {
      const pendingOperations = await clearStaleState(stack);
      return { ...(await refreshed(stack, common)), recovery: { pendingOperations } };
    }
  }
}

async function refreshed(stack: Stack, options: Parameters<Stack["refresh"]>[0]): Promise<RunResult> {
  const result = await stack.refresh(options);
  return {
    ok: true,
    summary: toChangeSummary(result.summary.resourceChanges),
    outputs: toRunOutputs(await stack.outputs()),
    error: null,
  };
}

/**
 * A run killed mid-way leaves the backend's lock file and the operations it had begun ("pending
 * operations", which block every later update). `pulumi cancel` removes a DIY backend's lock files;
 * the pending operations are dropped from the checkpoint. Resources whose creation was pending may
 * exist without being in the state: the refresh that follows reads the ones the state knows, and
 * the kinds' providers adopt a resource of their deterministic name when they create it again.
 */
async function clearStaleState(stack: Stack): Promise<number> {
  await stack.cancel();
  const state = await stack.exportStack();
  const deployment = state.deployment as { pending_operations?: unknown[] } | undefined;
  const pending = deployment?.pending_operations?.length ?? 0;
  if (deployment && pending > 0) {
    deployment.pending_operations = [];
    await stack.importStack(state);
  }
  return pending;
}

function toRunOutputs(all: OutputMap, options: { reveal: boolean } = { reveal: false }): RunOutputs {
  const values: Record<string, unknown> = {};
  const secretNames: string[] = [];
  for (const [name, output] of Object.entries(all)) {
    // Secret input values: in the state for the engine's own use, never shown, not even revealed.
    if (name === SECRET_INPUTS_OUTPUT) continue;
    if (output.secret) secretNames.push(name);
    if (!output.secret || options.reveal) values[name] = output.value;
  }
  return { values, secretNames };
}
