// `gantry logs`, `gantry wait`, `gantry preview`: one operation's log, its end, a preview's plan.
import { followOperationEvents, type OperationEvent, unwrap } from "@gantry/client";
import { type Context, requireSucceeded } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import type { StackManifest } from "../manifest.ts";
import { renderEvent, resourceName } from "../render-events.ts";
import { mergePatch } from "../spec-diff.ts";
import { listAllStacks, resolveOperationId, resolveStack } from "../stacks.ts";
import { waitForOperations } from "../wait.ts";

/** Prints the operation's log; with `follow`, live until the operation ends (exit 1 unless it succeeded). */
export async function logs(ctx: Context, ref: string, options: { follow: boolean }): Promise<void> {
  const operationId = await resolveOperationId(ctx.client, ref);
  const print = (event: OperationEvent) => {
    // -o json: one event per line (NDJSON), for jq and log shippers.
    if (ctx.out.format === "json") return ctx.out.line(JSON.stringify(event));
    const text = renderEvent(event);
    if (text !== undefined) ctx.out.line(text);
  };
  if (options.follow) {
    const status = await followOperationEvents(ctx.client, operationId, { onEvent: print });
    ctx.out.note(`operation ${operationId} ${status}`);
    if (status !== "succeeded")
      throw new CliError(`operation ${operationId} ended ${status}`, EXIT.operationFailed);
    return;
  }
  let after = 0;
  for (;;) {
    const params = { path: { id: operationId }, query: { after, limit: 1000 } };
    const page = await unwrap(ctx.client.GET("/v1/operations/{id}/events", { params }));
    for (const event of page.events) print(event);
    after = page.next;
    if (page.events.length < 1000) return;
  }
}

export async function wait(
  ctx: Context,
  ref: string,
  options: { timeoutMs?: number | undefined },
): Promise<void> {
  const operationId = await resolveOperationId(ctx.client, ref);
  const [op] = await waitForOperations(ctx.client, [{ label: ref, operationId }], {
    interactive: ctx.out.interactive,
    timeoutMs: options.timeoutMs,
  });
  if (!op) return;
  if (ctx.out.format === "json") ctx.out.json(op);
  else ctx.out.line(`${op.kind} ${op.id} ${op.status}${op.error ? `: ${op.error.message}` : ""}`);
  requireSucceeded([op]);
}

interface PlanEntry {
  urn: string;
  type: string;
  op: string;
  properties?: { path: string; change?: string; before?: unknown; after?: unknown }[];
}

/**
 * Previews stacks: each named one on its current spec, each one of the files on the file's spec
 * (stacks the files would create have nothing to preview yet and are listed as such).
 */
export async function preview(
  ctx: Context,
  refs: readonly string[],
  manifests: readonly StackManifest[],
  options: { timeoutMs?: number | undefined },
): Promise<void> {
  const requests: { name: string; stackId: string; spec?: Record<string, unknown> }[] = [];
  const created: string[] = [];
  for (const ref of refs) {
    const stack = await resolveStack(ctx.client, ref);
    requests.push({ name: stack.name, stackId: stack.id });
  }
  if (manifests.length > 0) {
    const [stacks, kinds] = await Promise.all([
      listAllStacks(ctx.client),
      unwrap(ctx.client.GET("/v1/kinds")).then((list) => new Map(list.kinds.map((k) => [k.name, k]))),
    ]);
    for (const m of manifests) {
      const stack = stacks.find((s) => s.name === m.name && s.status !== "destroyed");
      if (!stack) {
        created.push(m.name);
        continue;
      }
      const schema = kinds.get(m.kind)?.specSchema as Parameters<typeof mergePatch>[2];
      const patch = mergePatch(stack.spec, m.spec, schema);
      requests.push({ name: m.name, stackId: stack.id, ...(patch ? { spec: patch } : {}) });
    }
  }
  if (requests.length === 0 && created.length === 0) throw new CliError("nothing to preview", EXIT.usage);
  const accepted = [];
  for (const r of requests) {
    const params = { path: { id: r.stackId } };
    const body = { kind: "preview" as const, ...(r.spec ? { spec: r.spec } : {}) };
    accepted.push(await unwrap(ctx.client.POST("/v1/stacks/{id}/operations", { params, body })));
  }
  const ops = await waitForOperations(
    ctx.client,
    accepted.map((a, i) => ({ label: requests[i]?.name ?? a.stack.name, operationId: a.operation.id })),
    { interactive: ctx.out.interactive, timeoutMs: options.timeoutMs },
  );
  if (ctx.out.format === "json") {
    ctx.out.json({
      previews: ops.map((op, i) => ({ name: requests[i]?.name, operation: op })),
      wouldCreate: created,
    });
  } else {
    const rows: unknown[][] = [];
    ops.forEach((op, i) => {
      const plan = (Array.isArray(op.diff) ? op.diff : []) as PlanEntry[];
      if (op.status === "succeeded" && plan.length === 0)
        rows.push([requests[i]?.name, "(no changes)", "", "", ""]);
      for (const entry of plan) {
        const props = (entry.properties ?? []).map((p) => `${p.path}: ${show(p.before)} → ${show(p.after)}`);
        rows.push([requests[i]?.name, entry.op, entry.type, resourceName(entry.urn), props.join("; ")]);
      }
    });
    for (const name of created) rows.push([name, "create", "(new stack)", "", ""]);
    ctx.out.table(["STACK", "OP", "TYPE", "RESOURCE", "CHANGES"], rows);
  }
  requireSucceeded(ops);
}

function show(value: unknown): string {
  return value === undefined ? "∅" : JSON.stringify(value);
}
