// Which namespaces a controller serves: those with a team label that also match its namespace
// selector (GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR), parsed from its `key=value,key` form.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { teamOf } from "../src/namespace-team.ts";

const env = (selector?: string) => ({
  DATABASE_URL: "postgres://localhost/gantry",
  GANTRY_KUBE_CONTROLLER_KUBECONFIG: "/dev/null",
  ...(selector === undefined ? {} : { GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR: selector }),
});

describe("the namespaces a controller serves", () => {
  it("parses the selector: key=value terms, bare keys, nothing by default", () => {
    expect(loadConfig(env()).namespaceSelector).toEqual({});
    expect(loadConfig(env("gantry.dev/install=prod,tier")).namespaceSelector).toEqual({
      "gantry.dev/install": "prod",
      tier: undefined,
    });
    expect(() => loadConfig(env("a=b=c"))).toThrow(/NAMESPACE_SELECTOR/);
  });

  it("serves a labelled namespace that matches the selector, and nothing else", () => {
    const selector = { "gantry.dev/install": "prod", tier: undefined };
    const labels = { "gantry.dev/team": "payments", "gantry.dev/install": "prod", tier: "x" };
    expect(teamOf(labels, selector)).toBe("payments");
    expect(teamOf(labels, {})).toBe("payments");
    expect(teamOf({ ...labels, "gantry.dev/install": "dev" }, selector)).toBeUndefined();
    expect(teamOf({ "gantry.dev/team": "payments", "gantry.dev/install": "prod" }, selector)).toBeUndefined();
    expect(teamOf({ "gantry.dev/install": "prod", tier: "x" }, selector)).toBeUndefined();
    expect(teamOf({ "gantry.dev/team": "" }, {})).toBeUndefined();
    expect(teamOf(undefined, {})).toBeUndefined();
  });
});
