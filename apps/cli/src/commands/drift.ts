// `gantry drift`: the team's fleet at a glance, or one stack's latest report (after a fresh check
// with --check). With --exit-code it exits 1 when something drifted, like `git diff --exit-code`.
import { unwrap } from "@gantry/client";
import { type Context, requireSucceeded } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { age } from "../output.ts";
import { resolveStack } from "../stacks.ts";
import { waitForOperations } from "../wait.ts";

interface DriftOptions {
  check: boolean;
  exitCode: boolean;
  timeoutMs?: number | undefined;
}

export async function drift(ctx: Context, ref: string | undefined, options: DriftOptions): Promise<void> {
  if (!ref) {
    if (options.check) throw new CliError("--check needs a stack", EXIT.usage);
    const fleet = await unwrap(ctx.client.GET("/v1/drift"));
    if (ctx.out.format === "json") ctx.out.json(fleet);
    else {
      const counts = Object.entries(fleet.counts).map(([status, n]) => `${status}: ${n}`);
      ctx.out.line(counts.join("  "));
      if (fleet.drifted.length > 0) {
        ctx.out.line("");
        ctx.out.table(
          ["STACK", "KIND", "CHECKED", "RESOURCES", "NEEDS APPROVAL"],
          fleet.drifted.map((d) => [
            d.stack.name,
            d.stack.kind,
            `${age(d.driftCheckedAt)} ago`,
            d.resources.map((r) => `${r.change} ${r.type}`).join(", "),
            d.remediationNeedsApproval ? "yes" : "no",
          ]),
        );
      }
    }
    if (options.exitCode && fleet.counts.drifted > 0) {
      throw new CliError(`${fleet.counts.drifted} stack(s) drifted`, EXIT.operationFailed);
    }
    return;
  }
  const stack = await resolveStack(ctx.client, ref);
  const params = { path: { id: stack.id } };
  if (options.check) {
    const accepted = await unwrap(
      ctx.client.POST("/v1/stacks/{id}/operations", { params, body: { kind: "drift-check" } }),
    );
    const ops = await waitForOperations(
      ctx.client,
      [{ label: stack.name, operationId: accepted.operation.id }],
      {
        interactive: ctx.out.interactive,
        timeoutMs: options.timeoutMs,
      },
    );
    requireSucceeded(ops);
  }
  const report = await unwrap(ctx.client.GET("/v1/stacks/{id}/drift", { params }));
  if (ctx.out.format === "json") ctx.out.json(report);
  else {
    ctx.out.line(
      `${stack.name}: ${report.driftStatus}${report.driftCheckedAt ? ` (checked ${age(report.driftCheckedAt)} ago)` : ""}`,
    );
    const resources = report.latest?.resources ?? [];
    if (resources.length > 0) {
      ctx.out.table(
        ["RESOURCE", "TYPE", "CHANGE", "PROPERTY", "EXPECTED", "ACTUAL"],
        resources.flatMap((r) =>
          r.properties.length === 0
            ? [[r.urn.split("::").at(-1), r.type, r.change, "", "", ""]]
            : r.properties.map((p) => [
                r.urn.split("::").at(-1),
                r.type,
                r.change,
                p.name,
                JSON.stringify(p.expected),
                JSON.stringify(p.actual),
              ]),
        ),
      );
    }
  }
  if (options.exitCode && report.driftStatus === "drifted") {
    throw new CliError(`${stack.name} drifted`, EXIT.operationFailed);
  }
}
