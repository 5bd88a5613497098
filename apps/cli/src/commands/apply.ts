// `gantry apply -f stacks.yaml`: make the team's stacks what the files say. Each stack is created
// when missing, patched when its spec differs, and left alone when it already agrees (no request,
// no operation), in dependency order; then the CLI waits for the operations it started.
import { type GantryClient, type Operation, type Stack, unwrap } from "@gantry/client";
import { type Context, requireSucceeded } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import type { StackManifest } from "../manifest.ts";
import { mergePatch } from "../spec-diff.ts";
import { listAllStacks } from "../stacks.ts";
import { waitForOperations } from "../wait.ts";

export type Action = "create" | "update" | "retry" | "unchanged";

export interface Planned {
  manifest: StackManifest;
  action: Action;
  /** For `update`: the merge patch (empty when only dependsOn changes). */
  patch?: Record<string, unknown>;
  /** For `update`: the file's dependsOn, when it is not the stack's. */
  dependsOn?: string[];
  stack?: Stack;
}

/** What apply would do, decided before it changes anything (so a bad file changes nothing). */
export async function planApply(
  client: GantryClient,
  manifests: readonly StackManifest[],
): Promise<Planned[]> {
  const [stacks, kinds] = await Promise.all([
    listAllStacks(client),
    unwrap(client.GET("/v1/kinds")).then((list) => new Map(list.kinds.map((k) => [k.name, k]))),
  ]);
  const live = new Map(stacks.filter((s) => s.status !== "destroyed").map((s) => [s.name, s]));
  return manifests.map((manifest) => {
    const kind = kinds.get(manifest.kind);
    if (!kind) {
      const known = [...kinds.keys()].join(", ");
      throw new CliError(`${manifest.source}: unknown kind "${manifest.kind}" (known: ${known})`, EXIT.usage);
    }
    const stack = live.get(manifest.name);
    if (!stack) return { manifest, action: "create" };
    if (stack.kind !== manifest.kind) {
      throw new CliError(
        `${manifest.source}: stack "${manifest.name}" exists as a ${stack.kind}, not a ${manifest.kind}`,
        EXIT.conflict,
      );
    }
    const patch = mergePatch(stack.spec, manifest.spec, kind.specSchema as Parameters<typeof mergePatch>[2]);
    const dependsOn = sameDependencies(manifest, stack) ? undefined : manifest.dependsOn;
    if (patch || dependsOn)
      return { manifest, action: "update", patch: patch ?? {}, ...(dependsOn ? { dependsOn } : {}), stack };
    // The spec agrees but its last `up` failed: declaring it again means trying again.
    if (stack.status === "failed") return { manifest, action: "retry", stack };
    return { manifest, action: "unchanged", stack };
  });
}

/** Whether the file names the stacks the stack depends on (by name or id, in any order). */
function sameDependencies(manifest: StackManifest, stack: Stack): boolean {
  const have = new Set(stack.dependsOn.flatMap((d) => [d.name, d.id]));
  const want = new Set(manifest.dependsOn);
  return want.size === stack.dependsOn.length && [...want].every((name) => have.has(name));
}

async function execute(client: GantryClient, planned: Planned): Promise<Operation | undefined> {
  const { manifest, action, stack } = planned;
  if (action === "create") {
    const body = {
      kind: manifest.kind,
      name: manifest.name,
      spec: manifest.spec,
      dependsOn: manifest.dependsOn,
    };
    return (await unwrap(client.POST("/v1/stacks", { body }))).operation;
  }
  if (!stack) return undefined;
  if (action === "update" && planned.patch) {
    const params = { path: { id: stack.id } };
    const body = { spec: planned.patch, ...(planned.dependsOn ? { dependsOn: planned.dependsOn } : {}) };
    return (await unwrap(client.PATCH("/v1/stacks/{id}", { params, body }))).operation;
  }
  if (action === "retry") {
    const params = { path: { id: stack.id } };
    return (await unwrap(client.POST("/v1/stacks/{id}/operations", { params, body: { kind: "up" } })))
      .operation;
  }
  return undefined;
}

export async function apply(
  ctx: Context,
  manifests: readonly StackManifest[],
  options: { wait: boolean; timeoutMs?: number | undefined },
): Promise<void> {
  const plan = await planApply(ctx.client, manifests);
  const started: { planned: Planned; operation: Operation | undefined }[] = [];
  // One at a time, in dependency order: a stack's dependencies must exist when it is created.
  for (const planned of plan) {
    started.push({ planned, operation: await execute(ctx.client, planned) });
    if (ctx.out.format === "table") {
      const op = started.at(-1)?.operation;
      ctx.out.note(
        `${planned.manifest.name}: ${describe(planned.action)}${op ? ` (${op.kind} ${op.id})` : ""}`,
      );
    }
  }
  const running = started.filter((s) => s.operation);
  let finished = new Map<string, Operation>();
  if (options.wait && running.length > 0) {
    const ops = await waitForOperations(
      ctx.client,
      running.map((s) => ({ label: s.planned.manifest.name, operationId: s.operation?.id ?? "" })),
      { interactive: ctx.out.interactive, timeoutMs: options.timeoutMs },
    );
    finished = new Map(ops.map((op) => [op.id, op]));
  }
  const results = started.map(({ planned, operation }) => ({
    name: planned.manifest.name,
    kind: planned.manifest.kind,
    action: planned.action,
    operation: operation ? (finished.get(operation.id) ?? operation) : null,
  }));
  if (ctx.out.format === "json") ctx.out.json({ stacks: results });
  else {
    ctx.out.table(
      ["NAME", "KIND", "ACTION", "OPERATION", "STATUS"],
      results.map((r) => [r.name, r.kind, r.action, r.operation?.id, r.operation?.status]),
    );
  }
  if (options.wait) requireSucceeded([...finished.values()]);
}

function describe(action: Action): string {
  return {
    create: "creating",
    update: "updating",
    retry: "last up failed, running it again",
    unchanged: "unchanged",
  }[action];
}
