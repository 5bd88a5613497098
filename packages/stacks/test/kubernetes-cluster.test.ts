// kubernetes-cluster and the machinery it brings: secret inputs in the registry (writeOnly, stored
// as "[set]", kept by a PATCH that does not name them), the cluster contract, and attaching a
// cluster (kubeconfig reading, access review) against a stand-in API server over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type FakeKubeApi, startFakeKubeApi } from "../../../tests/support/fake-kube-api.ts";
import { clusterContract } from "../src/contracts/cluster.ts";
import {
  createRegistry,
  defineKind,
  getKind,
  listKinds,
  mergeSpec,
  parseSpec,
  SECRET_INPUT_SET,
} from "../src/index.ts";
import { inspectCluster } from "../src/kinds/kubernetes-cluster/inspect.ts";
import { readKubeconfig } from "../src/kinds/kubernetes-cluster/kubeconfig.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { runProgram } from "./support/program-mocks.ts";

const KIND = "kubernetes-cluster";
const TOKEN = "kube-token-canary-0123456789abcdef";
let api: FakeKubeApi;

beforeAll(async () => {
  api = await startFakeKubeApi(TOKEN);
});
afterAll(() => api?.close());

describe("secret inputs in the registry", () => {
  it("publishes the kubeconfig as writeOnly, documented with examples that parse", () => {
    const schema = listKinds().find((kind) => kind.name === KIND)?.specSchema as {
      properties: Record<string, { writeOnly?: boolean }>;
      required: string[];
    };
    expect(schema.properties.kubeconfig?.writeOnly).toBe(true);
    expect(schema.properties.context?.writeOnly).toBeUndefined();
    expect(schema.required).toEqual(["kubeconfig"]);
    const summary = listKinds().find((kind) => kind.name === KIND);
    const examples = (summary?.specSchema.examples ?? []) as { kubeconfig: string }[];
    expectDocumentedSchema(KIND, { kubeconfig: examples[0]?.kubeconfig });
  });

  it("stores [set] in place of the value and hands the value out separately", () => {
    const parsed = parseSpec(KIND, { kubeconfig: api.kubeconfig });
    expect(parsed).toEqual({
      ok: true,
      spec: { kubeconfig: SECRET_INPUT_SET, requestTimeoutSeconds: 15 },
      secrets: { kubeconfig: api.kubeconfig },
    });
    expect(JSON.stringify(parsed.ok && parsed.spec)).not.toContain(TOKEN);
  });

  it("keeps the value set before when a PATCH does not name it, or names it [set]", () => {
    const stored = { kubeconfig: SECRET_INPUT_SET, requestTimeoutSeconds: 15 };
    expect(mergeSpec(KIND, stored, { requestTimeoutSeconds: 30 })).toEqual({
      ok: true,
      spec: { ...stored, requestTimeoutSeconds: 30 },
    });
    expect(mergeSpec(KIND, stored, { kubeconfig: SECRET_INPUT_SET })).toEqual({ ok: true, spec: stored });
    expect(mergeSpec(KIND, stored, { kubeconfig: api.kubeconfig })).toEqual({
      ok: true,
      spec: stored,
      secrets: { kubeconfig: api.kubeconfig },
    });
  });

  it("refuses [set] where no value was set, and a kubeconfig it cannot use, without quoting it", () => {
    const refused = (result: ReturnType<typeof parseSpec>) => (result.ok ? [] : result.issues);
    expect(refused(parseSpec(KIND, { kubeconfig: SECRET_INPUT_SET }))).toEqual([
      {
        path: "kubeconfig",
        message: 'needs its value: "[set]" keeps a value set before, and a new stack has none',
      },
    ]);
    const exec = api.kubeconfig.replace(`token: ${TOKEN}`, "exec: {command: aws, apiVersion: x}");
    const bad: [string, string][] = [
      [`: ${TOKEN} :\n  - [`, "kubeconfig: is not a YAML or JSON document"],
      ["apiVersion: v1\nkind: Config\n", "kubeconfig: is not a kubeconfig: it has no contexts"],
      [exec, 'kubeconfig: user of context "fake" authenticates with a command (exec or auth-provider)'],
    ];
    for (const [kubeconfig, message] of bad) {
      const issues = refused(parseSpec(KIND, { kubeconfig }));
      expect(issues.map((i) => `${i.path}: ${i.message}`).join()).toContain(message);
      expect(JSON.stringify(issues)).not.toContain(TOKEN);
    }
    expect(refused(parseSpec(KIND, { kubeconfig: api.kubeconfig, context: "other" }))).toEqual([
      { path: "kubeconfig", message: 'has no context named "other"' },
    ]);
  });
});

describe("the cluster contract", () => {
  it("is declared by both cluster kinds, the kubeconfig secret in both", () => {
    for (const name of ["eks-cluster", KIND]) {
      const kind = getKind(name);
      expect(kind?.contracts).toContain(clusterContract);
      const outputs = new Map(kind?.outputs.map((o) => [o.name, o.secret]));
      for (const field of Object.keys(clusterContract.schema.shape))
        expect(outputs.has(field), `${name}.${field}`).toBe(true);
      expect(outputs.get("kubeconfig")).toBe(true);
    }
  });

  it("refuses a kind that claims it without declaring its outputs", () => {
    const renamed = defineKind({
      name: "renamed-cluster",
      title: "Renamed",
      description: "A cluster kind whose endpoint output was renamed.",
      specSchema: z.strictObject({}),
      dependsOn: [],
      contracts: [clusterContract],
      outputs: ["apiServer", "kubernetesVersion", "zones", "kubeconfig"].map((name) => ({
        name,
        description: name,
        secret: name === "kubeconfig",
      })),
      engineEnv: () => ({}),
      program: async () => ({}),
    });
    expect(() => createRegistry([renamed])).toThrow(
      'kind "renamed-cluster" does not declare the cluster contract\'s outputs: endpoint',
    );
  });
});

describe("attaching a cluster", () => {
  it("reads the chosen context: server, CA and token, as a kubeconfig of its own", () => {
    const access = readKubeconfig(api.kubeconfig);
    expect(access).toMatchObject({
      context: "fake",
      server: api.url,
      credential: { type: "token", token: TOKEN },
    });
    expect(access.ca).toContain("BEGIN CERTIFICATE");
    expect(JSON.parse(access.document)["current-context"]).toBe("fake");
  });

  it("finds the version, nodes and zones when the credential may do what a workload needs", async () => {
    await expect(inspectCluster(readKubeconfig(api.kubeconfig))).resolves.toEqual({
      endpoint: api.url,
      kubernetesVersion: "v1.36.3",
      nodeCount: 3,
      zones: ["zone-a", "zone-b", "zone-c"],
    });
  });

  it("says which permissions a workload would lack", async () => {
    api.deny.add("create apps/deployments");
    api.deny.add("delete namespaces");
    try {
      await expect(inspectCluster(readKubeconfig(api.kubeconfig))).rejects.toThrow(
        "the kubeconfig's credential may not create apps/deployments, delete namespaces in every namespace; " +
          "a workload on this cluster needs them",
      );
    } finally {
      api.deny.clear();
    }
  });

  it("says when the API server refuses the credential or does not answer", async () => {
    const wrong = readKubeconfig(api.kubeconfig.replace(TOKEN, "not-the-token"));
    await expect(inspectCluster(wrong)).rejects.toThrow(/refuses the kubeconfig's credential \(401/);
    const gone = readKubeconfig(api.kubeconfig.replace(api.url, "https://127.0.0.1:1"));
    await expect(inspectCluster(gone, 2000)).rejects.toThrow(/does not answer/);
  });

  it("outputs what the cluster contract promises, the kubeconfig as a secret (mocked engine)", async () => {
    const result = await runProgram(KIND, { kubeconfig: api.kubeconfig });
    expect(result.outputs).toMatchObject({
      endpoint: api.url,
      kubernetesVersion: "v1.36.3",
      nodeCount: 3,
      zones: ["zone-a", "zone-b", "zone-c"],
    });
    expect(result.secretOutputs).toEqual(["kubeconfig"]);
    expect(clusterContract.schema.safeParse(result.outputs).success).toBe(true);
    expect(result.resources.filter((r) => !r.type.startsWith("pulumi:"))).toEqual([]);
  });
});
