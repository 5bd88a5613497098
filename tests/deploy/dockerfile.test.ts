// The Dockerfile without a Docker engine (there is none here): parsed and validated by
// dockerfile-utils (the VS Code Dockerfile language server's linter), then checked for what the
// image promises: a non-root user, package manifests installed before the code is copied (layer
// caching), nothing from the network piped into a shell, and the pulumi CLI and plugins carried.
import { readFile } from "node:fs/promises";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { beforeAll, describe, expect, it } from "vitest";

const DOCKERFILE = new URL("../../Dockerfile", import.meta.url);
let content: string;
let finalStage: Instruction[];

beforeAll(async () => {
  content = await readFile(DOCKERFILE, "utf8");
  const instructions = DockerfileParser.parse(content).getInstructions();
  const lastFrom = instructions.findLastIndex((i) => i.getKeyword() === "FROM");
  finalStage = instructions.slice(lastFrom);
});

// The whole instruction after its keyword, flags (--from, --chown) included.
const args = (i: Instruction) => i.getTextContent().slice(i.getKeyword().length).trim();
const index = (keyword: string, match: RegExp) =>
  finalStage.findIndex((i) => i.getKeyword() === keyword && match.test(args(i)));

describe("the Dockerfile", () => {
  it("parses and validates without a problem", () => {
    const problems = validate(content).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it("runs as a non-root user", () => {
    const users = finalStage.filter((i) => i.getKeyword() === "USER").map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    // Everything after the user switch (install, the command) runs as that user.
    expect(index("USER", /./)).toBeLessThan(index("RUN", /npm ci/));
  });

  it("installs npm packages from the manifests before it copies the code", () => {
    const lock = index("COPY", /package-lock\.json/);
    const install = index("RUN", /npm ci/);
    const code = index("COPY", /^(--chown=\S+ )?\. \.$/);
    expect(lock).toBeGreaterThan(0);
    expect(lock).toBeLessThan(install);
    expect(install).toBeLessThan(code);
    // Each workspace's manifest is there, so `npm ci` sees the whole workspace before the code.
    for (const workspace of ["apps/api", "apps/worker", "packages/core", "packages/db", "packages/engine"])
      expect(index("COPY", new RegExp(`${workspace}/package\\.json`))).toBeLessThan(install);
  });

  it("pipes nothing from the network into a shell, and checks the CLI it downloads", () => {
    expect(content).not.toMatch(/(curl|wget)[^\n]*\|\s*(ba|z|da)?sh\b/);
    expect(content).not.toMatch(/\|\s*(ba|z|da)?sh\s+-s\b/);
    expect(content).toMatch(/sha256sum -c/);
  });

  it("carries the pulumi CLI and the resource plugins", () => {
    expect(index("COPY", /--from=downloads \/opt\/pulumi /)).toBeGreaterThan(0);
    expect(index("COPY", /--from=downloads \/opt\/gantry\/plugins/)).toBeGreaterThan(0);
    expect(content).toMatch(/GANTRY_PLUGIN_DIR=\/opt\/gantry\/plugins/);
    expect(content).toMatch(/for name in aws kubernetes/);
  });
});
