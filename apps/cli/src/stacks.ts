// Finding stacks by name or id. The API lists a team's stacks in pages and has no lookup by
// name, so names are resolved over the list.
import { type GantryClient, type Stack, unwrap } from "@gantry/client";
import { CliError, EXIT } from "./exit-codes.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listAllStacks(
  client: GantryClient,
  filter: { kind?: string | undefined; status?: Stack["status"] | undefined } = {},
): Promise<Stack[]> {
  const stacks: Stack[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      client.GET("/v1/stacks", {
        params: { query: { ...filter, limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    stacks.push(...page.stacks);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return stacks;
}

/** A stack by id, or by name among the team's (not destroyed) stacks; exit 3 when there is none. */
export async function resolveStack(client: GantryClient, ref: string): Promise<Stack> {
  if (UUID.test(ref)) return unwrap(client.GET("/v1/stacks/{id}", { params: { path: { id: ref } } }));
  const found = (await listAllStacks(client)).filter((s) => s.name === ref);
  const stack = found.find((s) => s.status !== "destroyed") ?? found[0];
  if (!stack) throw new CliError(`no stack named "${ref}" in your team`, EXIT.notFound);
  return stack;
}

/** An operation id as given, or the last operation of the stack the argument names. */
export async function resolveOperationId(client: GantryClient, ref: string): Promise<string> {
  if (UUID.test(ref)) {
    const answer = await client.GET("/v1/operations/{id}", { params: { path: { id: ref } } });
    if (answer.response.ok) return ref;
    if (answer.response.status !== 404) await unwrap(Promise.resolve(answer));
  }
  const stack = await resolveStack(client, ref);
  if (!stack.lastOperation) throw new CliError(`stack "${stack.name}" has no operation yet`, EXIT.notFound);
  return stack.lastOperation.id;
}
