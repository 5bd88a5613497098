// The local Kubernetes and the Kubernetes provider plugin end to end: a 3-replica Deployment spread
// over the three zones, applied through the real engine (Automation API, pulumi CLI and the
// pulumi-resource-kubernetes plugin setup built), available with one pod per zone, then destroyed.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as k8s from "@pulumi/kubernetes";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEngineSandbox,
  type EngineSandbox,
} from "../../packages/stacks/test/support/engine-sandbox.ts";
import { kubectl, startTestCluster, testKubeconfig } from "../support/kube.ts";
import { waitUntil } from "../support/wait.ts";

const run = randomBytes(4).toString("hex");
const namespace = `smoke-${run}`;
let sandbox: EngineSandbox | undefined;
let stack: Stack | undefined;

async function program() {
  const kubeconfig = await readFile(testKubeconfig(), "utf8");
  const provider = new k8s.Provider("local", { kubeconfig });
  const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: namespace } }, { provider });
  const labels = { app: "web" };
  const web = new k8s.apps.v1.Deployment(
    "web",
    {
      metadata: { name: "web", namespace: ns.metadata.name },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }],
          },
        },
      },
    },
    { provider },
  );
  return { deployment: web.metadata.name };
}

beforeAll(async () => {
  sandbox = await createEngineSandbox({});
  stack = await LocalWorkspace.createOrSelectStack(
    { projectName: "kube-smoke", stackName: `smoke-${run}`, program },
    {
      workDir: sandbox.workDir,
      pulumiCommand: sandbox.pulumiCommand,
      envVars: sandbox.envVars,
      secretsProvider: "passphrase",
      projectSettings: { name: "kube-smoke", runtime: "nodejs" },
    },
  );
}, 60_000);

afterAll(async () => {
  // A failed step leaves its resources: take them down (and the namespace, whatever the state says).
  await stack?.destroy().catch(() => undefined);
  await kubectl(["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"]);
  await sandbox?.remove();
}, 180_000);

/** Zone of each node, from the nodes' labels. */
async function zonesByNode(): Promise<Map<string, string>> {
  const text = await kubectl([
    "get",
    "nodes",
    "-o",
    'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.topology\\.kubernetes\\.io/zone}{"\\n"}{end}',
  ]);
  return new Map(
    text
      .trim()
      .split("\n")
      .map((line) => line.split(" ") as [string, string]),
  );
}

describe("the local Kubernetes", () => {
  it("answers a start while it runs with the same kubeconfig", async () => {
    expect(await startTestCluster()).toBe(testKubeconfig());
  });

  it("has three Ready fake nodes, one per zone", async () => {
    const zones = await zonesByNode();
    expect([...zones.values()].sort()).toEqual(["zone-a", "zone-b", "zone-c"]);
    const ready = await kubectl([
      "get",
      "nodes",
      "-o",
      'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
    ]);
    expect(ready.trim().split("\n")).toEqual(["True", "True", "True"]);
  });
});

describe("a Deployment on the local Kubernetes through the real engine", () => {
  it("comes up available with one pod in each of the three zones", async () => {
    if (!stack) throw new Error("no stack");
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    // The stack, the provider, the namespace and the Deployment.
    expect(result.summary.resourceChanges?.create).toBe(4);
    // The provider's await already waited for availability; the cluster must agree.
    const available = await waitUntil(
      async () => {
        const n = await kubectl([
          "get",
          "deployment",
          "web",
          "-n",
          namespace,
          "-o",
          "jsonpath={.status.availableReplicas}",
        ]);
        return n === "3" ? n : undefined;
      },
      { timeout: 30_000, interval: 200, what: "3 available replicas" },
    );
    expect(available).toBe("3");
    const zones = await zonesByNode();
    const nodes = (
      await kubectl([
        "get",
        "pods",
        "-n",
        namespace,
        "-l",
        "app=web",
        "-o",
        'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}',
      ])
    )
      .trim()
      .split("\n");
    expect(nodes.map((node) => zones.get(node)).sort()).toEqual(["zone-a", "zone-b", "zone-c"]);
  });

  it("is destroyed, namespace and all", async () => {
    if (!stack) throw new Error("no stack");
    const result = await stack.destroy();
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges?.delete).toBe(4);
    expect(await kubectl(["get", "namespace", namespace, "--ignore-not-found", "-o", "name"])).toBe("");
  });
});
