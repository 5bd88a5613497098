// `gantry kinds`: what can be asked for; `gantry kinds <name>` prints one kind with its spec's
// JSON Schema (defaults, descriptions, examples).
import { unwrap } from "@gantry/client";
import type { Context } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";

export async function kinds(ctx: Context, name: string | undefined): Promise<void> {
  const list = (await unwrap(ctx.client.GET("/v1/kinds"))).kinds;
  if (name) {
    const kind = list.find((k) => k.name === name);
    if (!kind)
      throw new CliError(`no kind "${name}" (known: ${list.map((k) => k.name).join(", ")})`, EXIT.notFound);
    return ctx.out.json(kind);
  }
  if (ctx.out.format === "json") return ctx.out.json({ kinds: list });
  ctx.out.table(
    ["NAME", "DEPENDS ON", "OUTPUTS", "TITLE"],
    list.map((k) => [k.name, k.dependsOn.join(","), k.outputs.map((o) => o.name).join(","), k.title]),
  );
}
