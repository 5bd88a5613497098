// `gantry list`, `gantry get`, `gantry destroy`, `gantry protect`/`unprotect`: the team's stacks.
import { type Stack, unwrap } from "@gantry/client";
import { stringify } from "yaml";
import { type Context, requireSucceeded } from "../context.ts";
import { age } from "../output.ts";
import { listAllStacks, resolveStack } from "../stacks.ts";
import { waitForOperations } from "../wait.ts";

export async function list(
  ctx: Context,
  filter: { kind?: string | undefined; status?: Stack["status"] | undefined },
): Promise<void> {
  const stacks = await listAllStacks(ctx.client, filter);
  if (ctx.out.format === "json") return ctx.out.json({ stacks });
  ctx.out.table(
    ["NAME", "KIND", "STATUS", "PROTECTED", "DRIFT", "LAST OPERATION", "AGE"],
    stacks.map((s) => [
      s.name,
      s.kind,
      s.status,
      s.protected ? "yes" : "",
      s.driftStatus,
      s.lastOperation ? `${s.lastOperation.kind} ${s.lastOperation.status}` : "",
      age(s.createdAt),
    ]),
  );
}

export async function get(ctx: Context, ref: string, options: { reveal: boolean }): Promise<void> {
  const stack = await resolveStack(ctx.client, ref);
  let outputs = stack.outputs;
  if (options.reveal) {
    // Admins only; the API audits every reveal.
    const params = { path: { id: stack.id }, query: { reveal: "true" as const } };
    outputs = (await unwrap(ctx.client.GET("/v1/stacks/{id}/outputs", { params }))).outputs;
  }
  if (ctx.out.format === "json") return ctx.out.json({ ...stack, outputs });
  const op = stack.lastOperation;
  ctx.out.table(
    ["FIELD", "VALUE"],
    [
      ["name", stack.name],
      ["id", stack.id],
      ["kind", stack.kind],
      ["status", stack.status],
      ["protected", stack.protected ? "yes (its destroy needs an approval)" : "no"],
      [
        "drift",
        `${stack.driftStatus}${stack.driftCheckedAt ? ` (checked ${age(stack.driftCheckedAt)} ago)` : ""}`,
      ],
      ["dependsOn", stack.dependsOn.map((d) => d.name).join(", ")],
      [
        "lastOperation",
        op ? `${op.kind} ${op.status} ${op.id}${op.error ? `: ${op.error.message}` : ""}` : "",
      ],
      ["created", stack.createdAt],
    ],
  );
  ctx.out.line("\nspec:");
  ctx.out.line(indent(stringify(stack.spec)));
  ctx.out.line("outputs:");
  ctx.out.line(indent(stringify(outputs)));
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

export async function destroy(
  ctx: Context,
  refs: readonly string[],
  options: { wait: boolean; timeoutMs?: number | undefined },
): Promise<void> {
  const stacks = await Promise.all(refs.map((ref) => resolveStack(ctx.client, ref)));
  const accepted = [];
  for (const stack of stacks) {
    const params = { path: { id: stack.id } };
    accepted.push({
      stack,
      operation: (await unwrap(ctx.client.DELETE("/v1/stacks/{id}", { params }))).operation,
    });
  }
  const ops = options.wait
    ? await waitForOperations(
        ctx.client,
        accepted.map((a) => ({ label: a.stack.name, operationId: a.operation.id })),
        { interactive: ctx.out.interactive, timeoutMs: options.timeoutMs },
      )
    : accepted.map((a) => a.operation);
  if (ctx.out.format === "json") ctx.out.json({ operations: ops });
  else {
    ctx.out.table(
      ["NAME", "OPERATION", "STATUS"],
      accepted.map((a, i) => [a.stack.name, a.operation.id, ops[i]?.status]),
    );
  }
  if (options.wait) requireSucceeded(ops);
}

/** `gantry protect` / `unprotect` (admins): a protected stack is destroyed only with an admin's approval. */
export async function setProtection(ctx: Context, refs: readonly string[], verb: "protect" | "unprotect") {
  const stacks = await Promise.all(refs.map((ref) => resolveStack(ctx.client, ref)));
  const changed: Stack[] = [];
  for (const stack of stacks) {
    const params = { path: { id: stack.id } };
    const path = verb === "protect" ? "/v1/stacks/{id}/protect" : "/v1/stacks/{id}/unprotect";
    changed.push(await unwrap(ctx.client.POST(path, { params })));
  }
  if (ctx.out.format === "json") ctx.out.json({ stacks: changed });
  else
    ctx.out.table(
      ["NAME", "PROTECTED"],
      changed.map((stack) => [stack.name, stack.protected ? "yes" : "no"]),
    );
}
