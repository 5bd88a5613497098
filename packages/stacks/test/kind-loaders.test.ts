// loadKind: every kind by name, the same module the full registry holds, and only that module:
// an engine process that runs a pg-database stack loads no @pulumi/aws, @pulumi/kubernetes or
// @pulumi/eks (README, Throughput).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOADABLE_KINDS, loadKind } from "../src/kind-loaders.ts";
import { BENCH_KINDS } from "../src/kinds/bench-fanout/index.ts";
import { KIND_DEFINITIONS } from "../src/kinds/definitions.ts";
import { KINDS } from "../src/kinds/index.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** The @pulumi/* packages a fresh process resolves while it loads `kind` through the engine's entry. */
function pulumiPackagesLoadedFor(kind: string): string[] {
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const resolved = next(specifier, context);
        const match = /\\/node_modules\\/(@pulumi\\/[^/]+)\\//.exec(resolved.url);
        if (match) seen.add(match[1]);
        return resolved;
      },
    });
    const { loadKind } = await import("@gantry/stacks/engine");
    const loaded = await loadKind(${JSON.stringify(kind)}, { benchKinds: false });
    if (loaded?.name !== ${JSON.stringify(kind)}) throw new Error("not loaded");
    console.log(JSON.stringify([...seen].sort()));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "[]");
}

describe("loadKind", () => {
  it("knows every kind the registries hold, and loads the same kind", async () => {
    expect(LOADABLE_KINDS.kinds).toEqual(KINDS.map((kind) => kind.name));
    expect(LOADABLE_KINDS.kinds).toEqual(KIND_DEFINITIONS.map((kind) => kind.name));
    expect(LOADABLE_KINDS.benchKinds).toEqual(BENCH_KINDS.map((kind) => kind.name));
    for (const kind of KINDS) expect(await loadKind(kind.name, { benchKinds: false })).toBe(kind);
  });

  it("loads benchmark kinds only when they are on, and nothing for an unknown name", async () => {
    expect(await loadKind("bench-fanout", { benchKinds: false })).toBeUndefined();
    expect(await loadKind("bench-fanout", { benchKinds: true })).toBe(BENCH_KINDS[0]);
    for (const name of ["nope", "toString", "__proto__"])
      expect(await loadKind(name, { benchKinds: true })).toBeUndefined();
  });

  it("loads only the Pulumi packages of the kind asked for", () => {
    expect(pulumiPackagesLoadedFor("pg-database")).toEqual(["@pulumi/pulumi"]);
    // The control: a kind on AWS does load @pulumi/aws this way.
    expect(pulumiPackagesLoadedFor("network")).toContain("@pulumi/aws");
  }, 60_000);
});
