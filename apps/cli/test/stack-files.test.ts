// Stack files and the patch apply sends, without a server: documents are read and checked,
// ordered by dependsOn, and a stored spec that agrees with the file (defaults included) needs no
// change.
import { describe, expect, it } from "vitest";
import { CliError, EXIT } from "../src/exit-codes.ts";
import { orderByDependencies, parseManifests } from "../src/manifest.ts";
import { mergePatch } from "../src/spec-diff.ts";

const names = (text: string) => orderByDependencies(parseManifests(text, "f.yaml")).map((m) => m.name);

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    return (err as CliError).message;
  }
  throw new Error("expected a usage error");
}

describe("stack files", () => {
  it("reads one stack per document, skipping empty ones", () => {
    const stacks = parseManifests(
      "kind: pg-database\nname: a\n---\n---\nkind: network\nname: b\nspec: {x: 1}\n",
      "f.yaml",
    );
    expect(stacks).toEqual([
      { kind: "pg-database", name: "a", spec: {}, dependsOn: [], source: "f.yaml#1" },
      { kind: "network", name: "b", spec: { x: 1 }, dependsOn: [], source: "f.yaml#3" },
    ]);
  });

  it("puts dependencies first, otherwise keeps the file's order", () => {
    const text = [
      "kind: workload\nname: app\ndependsOn: [db, cluster]",
      "kind: kubernetes-cluster\nname: cluster",
      "kind: rds-database\nname: db\ndependsOn: [net]",
      "kind: network\nname: net",
      "kind: pg-database\nname: other\ndependsOn: [elsewhere]",
    ].join("\n---\n");
    expect(names(text)).toEqual(["net", "db", "cluster", "app", "other"]);
  });

  it("refuses cycles, naming them", () => {
    const text =
      "kind: a\nname: x\ndependsOn: [y]\n---\nkind: a\nname: y\ndependsOn: [z]\n---\nkind: a\nname: z\ndependsOn: [x]";
    expect(usageError(() => names(text))).toBe("dependsOn has a cycle: x → y → z → x");
  });

  it("refuses what is not a stack, saying where", () => {
    expect(usageError(() => parseManifests("kind: a\nname: x\nspec: [1]", "f.yaml"))).toMatch(
      /^f\.yaml#1: spec: /,
    );
    expect(usageError(() => parseManifests("kind: a\n---\nname: x\nkind: b\nextra: 1", "f.yaml"))).toMatch(
      /^f\.yaml#1: name: /,
    );
    expect(usageError(() => parseManifests("kind: b\nname: x\nextra: 1", "f.yaml"))).toMatch(/extra/);
    expect(usageError(() => parseManifests("kind: [unclosed\n", "f.yaml"))).toMatch(
      /^f\.yaml#1: not valid YAML/,
    );
  });
});

describe("the patch apply sends", () => {
  const schema = {
    properties: {
      connectionLimit: { default: 20 },
      extensions: { default: [] },
      backup: { properties: { days: { default: 7 }, window: {} } },
    },
  };
  const stored = { connectionLimit: 20, extensions: ["pgcrypto"], backup: { days: 7 } };

  it("is nothing when the file agrees with the stored spec, defaults included", () => {
    expect(mergePatch(stored, { extensions: ["pgcrypto"] }, schema)).toBeUndefined();
    expect(
      mergePatch(stored, { connectionLimit: 20, extensions: ["pgcrypto"], backup: {} }, schema),
    ).toBeUndefined();
  });

  it("sets what changed and nulls what the file dropped", () => {
    expect(mergePatch(stored, { connectionLimit: 5 }, schema)).toEqual({
      connectionLimit: 5,
      extensions: null,
    });
    expect(mergePatch(stored, { extensions: ["pgcrypto"], backup: { days: 9 } }, schema)).toEqual({
      backup: { days: 9 },
    });
    expect(
      mergePatch({ ...stored, backup: { days: 7, window: "03:00" } }, { extensions: ["pgcrypto"] }, schema),
    ).toEqual({
      backup: null,
    });
  });

  it("cannot compare secret inputs and leaves them alone", () => {
    expect(mergePatch({ kubeconfig: "[set]" }, { kubeconfig: "apiVersion: v1…" }, undefined)).toBeUndefined();
  });
});
