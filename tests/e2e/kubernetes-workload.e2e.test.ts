// A workload with target kubernetes for real: the real API, worker and engine with the real
// Kubernetes provider against the local cluster (scripts/kube: a real apiserver, scheduler and
// controller-manager; kwok plays three nodes in zones zone-a|b|c). An attached kubernetes-cluster
// (kubeconfig as a secret input), a pg-database bound through a Secret in the workload's
// namespace, an awaited rollout over three zones, a rolling update, drift made with kubectl and
// put back by remediation, a rollout that can never become available failing with its reason,
// and nothing left in the cluster after the deletes. Runs when `npm test` has started the cluster.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKubeconfig } from "../support/kube.ts";
import { waitUntil } from "../support/wait.ts";
import { expectSucceeded } from "./expect-operation.ts";
import { type Gantry, startGantry } from "./gantry.ts";

const TIMEOUT = 600_000;
const run = promisify(execFile);

/** kubectl on the local cluster, JSON out. */
// biome-ignore lint/suspicious/noExplicitAny: whatever the API server answers
async function kubectl(...args: string[]): Promise<any> {
  const { stdout } = await run("bash", ["scripts/kube/cluster.sh", "kubectl", ...args], {
    maxBuffer: 1 << 24,
  });
  return stdout.trim().startsWith("{") ? JSON.parse(stdout) : stdout;
}
const exists = (kind: string, name: string, namespace?: string) =>
  kubectl(
    "get",
    kind,
    name,
    ...(namespace ? ["-n", namespace] : []),
    "--ignore-not-found",
    "-o",
    "name",
  ).then((out) => String(out).trim() !== "");

let gantry: Gantry;

/** Peak resident memory of the Kubernetes provider plugin's processes while `during` runs (a figure, not an assertion). */
async function providerPeakRss<T>(during: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = 0;
  const sample = async () => {
    for (const pid of await readdir("/proc").catch(() => [] as string[])) {
      if (!/^\d+$/.test(pid)) continue;
      // The command line, not the name: /proc truncates names to 15 characters.
      const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      if (!command.split("\0")[0]?.endsWith("pulumi-resource-kubernetes")) continue;
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kib);
    }
  };
  const timer = setInterval(() => void sample(), 250);
  try {
    return { result: await during(), peakMiB: Math.round(peak / 1024) };
  } finally {
    clearInterval(timer);
  }
}

describe("workload with target kubernetes on a real cluster", () => {
  beforeAll(async () => {
    // The harness links setup's plugins (the kubernetes one among them) into its Pulumi home.
    gantry = await startGantry();
    // A cluster just (re)started reports its kwok nodes NotReady until their heartbeats are seen
    // again, and a rollout on them then never becomes available.
    await waitUntil(
      async () => {
        const nodes = (await kubectl("get", "nodes", "-o", "json")).items;
        // biome-ignore lint/suspicious/noExplicitAny: Node objects
        const ready = (n: any) =>
          n.status.conditions.some(
            (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
          );
        return nodes.length === 3 && nodes.every(ready) ? true : undefined;
      },
      { timeout: 120_000, what: "the cluster's three nodes to be Ready" },
    );
  }, 300_000);
  afterAll(() => gantry?.stop());

  const create = async (kind: string, name: string, spec: Record<string, unknown>, dependsOn?: string[]) => {
    const started = Date.now();
    const res = await gantry.call("POST", "/v1/stacks", {
      kind,
      name,
      spec,
      ...(dependsOn ? { dependsOn } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return { id: res.body.stack.id as string, operationId: res.body.operation.id as string, started };
  };
  const operate = async (stackId: string, kind: string) => {
    const res = await gantry.call("POST", `/v1/stacks/${stackId}/operations`, { kind });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return expectSucceeded(gantry, res.body.operation.id, kind);
  };

  it(
    "deploys over three zones, updates, reports and repairs drift, fails a rollout that cannot finish, and deletes everything",
    async () => {
      const suffix = Date.now().toString(36);
      const clusterName = `local-${suffix}`;
      const dbName = `web-db-${suffix}`;
      const cluster = await create("kubernetes-cluster", clusterName, {
        kubeconfig: await readFile(testKubeconfig(), "utf8"),
      });
      const database = await create("pg-database", dbName, {});
      await expectSucceeded(gantry, cluster.operationId, "attach");
      await expectSucceeded(gantry, database.operationId, "database");
      const attached = (await gantry.call("GET", `/v1/stacks/${cluster.id}`)).body;
      expect(attached.spec.kubeconfig).toBe("[set]");
      expect(attached.outputs).toMatchObject({ nodeCount: 3, zones: ["zone-a", "zone-b", "zone-c"] });

      // Up: the rollout is awaited, so the operation ends with every replica ready.
      const web = await create(
        "workload",
        `web-${suffix}`,
        {
          target: "kubernetes",
          image: "nginx:1.27",
          replicas: 3,
          databases: [{ stack: dbName }],
          rolloutTimeoutSeconds: 180,
        },
        [clusterName, dbName],
      );
      const { peakMiB } = await providerPeakRss(() =>
        expectSucceeded(gantry, web.operationId, "workload up"),
      );
      const readyAfterMs = Date.now() - web.started;
      const stack = (await gantry.call("GET", `/v1/stacks/${web.id}`)).body;
      const namespace = stack.outputs.namespace as string;
      const name = `web-${suffix}`;
      expect(stack.outputs).toMatchObject({
        target: "kubernetes",
        readyReplicas: 3,
        serviceDnsName: `${name}.${namespace}.svc.cluster.local`,
      });
      // The up awaited the rollout. The live Deployment is still awaited rather than read once:
      // its status is the controllers' to write, and they run on the same busy machine.
      const deployment = await waitUntil(
        async () => {
          const live = await kubectl("get", "deployment", name, "-n", namespace, "-o", "json");
          return live.status.readyReplicas === 3 ? live : undefined;
        },
        { timeout: 120_000, what: `deployment ${name} to have 3 ready replicas` },
      );
      const pods = (await kubectl("get", "pods", "-n", namespace, "-o", "json")).items;
      const nodes = (await kubectl("get", "nodes", "-o", "json")).items;
      const zoneOf = new Map(
        // biome-ignore lint/suspicious/noExplicitAny: Node objects
        nodes.map((n: any) => [n.metadata.name, n.metadata.labels["topology.kubernetes.io/zone"]]),
      );
      // biome-ignore lint/suspicious/noExplicitAny: Pod objects
      expect(new Set(pods.map((p: any) => zoneOf.get(p.spec.nodeName)))).toEqual(
        new Set(["zone-a", "zone-b", "zone-c"]),
      );
      // The bound database's password reaches the pods through a Secret in the namespace.
      const revealed = (await gantry.call("GET", `/v1/stacks/${database.id}/outputs?reveal=true`)).body
        .outputs;
      const secret = await kubectl("get", "secret", `${name}-databases`, "-n", namespace, "-o", "json");
      expect(Buffer.from(secret.data.DATABASE_PASSWORD, "base64").toString()).toBe(revealed.password);
      const env = deployment.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({
        name: "DATABASE_PASSWORD",
        valueFrom: { secretKeyRef: { name: `${name}-databases`, key: "DATABASE_PASSWORD" } },
      });
      expect(JSON.stringify(stack)).not.toContain(revealed.password);
      for (const kind of ["serviceaccount", "service", "poddisruptionbudget"])
        expect(await exists(kind, name, namespace), kind).toBe(true);

      // A PATCH of the image is an awaited rolling update.
      const patched = await gantry.call("PATCH", `/v1/stacks/${web.id}`, { spec: { image: "nginx:1.28" } });
      await expectSucceeded(gantry, patched.body.operation.id, "rolling update");
      const updated = await kubectl("get", "deployment", name, "-n", namespace, "-o", "json");
      expect(updated.spec.template.spec.containers[0].image).toBe("nginx:1.28");
      expect(updated.status.updatedReplicas).toBe(3);

      // Drift behind Gantry's back: scaled, another image, and the Service deleted.
      const driftStarted = Date.now();
      await kubectl("scale", `deployment/${name}`, "-n", namespace, "--replicas=5");
      await kubectl("set", "image", `deployment/${name}`, "-n", namespace, "app=nginx:tampered");
      await kubectl("delete", "service", name, "-n", namespace);
      await operate(web.id, "drift-check");
      const report = (await gantry.call("GET", `/v1/stacks/${web.id}/drift`)).body.latest;
      expect(report.status).toBe("drifted");
      // biome-ignore lint/suspicious/noExplicitAny: drift report entries
      const drifted = new Map(report.resources.map((r: any) => [r.type, r]));
      // biome-ignore lint/suspicious/noExplicitAny: drift report entries
      const changed: any = drifted.get("kubernetes:apps/v1:Deployment");
      expect(changed?.change).toBe("changed");
      expect(JSON.stringify(changed?.properties)).toContain("nginx:tampered");
      expect(JSON.stringify(changed?.properties)).toContain("replicas");
      // biome-ignore lint/suspicious/noExplicitAny: drift report entries
      expect((drifted.get("kubernetes:core/v1:Service") as any)?.change).toBe("deleted");
      await operate(web.id, "remediate");
      const driftRoundTripMs = Date.now() - driftStarted;
      const repaired = await kubectl("get", "deployment", name, "-n", namespace, "-o", "json");
      expect(repaired.spec.template.spec.containers[0].image).toBe("nginx:1.28");
      expect(repaired.spec.replicas).toBe(3);
      expect(await exists("service", name, namespace)).toBe(true);
      await operate(web.id, "drift-check");
      expect((await gantry.call("GET", `/v1/stacks/${web.id}/drift`)).body.latest.status).toBe("in_sync");

      // With autoscaling the replicas are the HPA's: Gantry never applies them, so an up leaves a
      // count someone (the HPA) set, and Server-Side Apply raises no conflict.
      const fixed = await create(
        "workload",
        `auto-${suffix}`,
        { target: "kubernetes", image: "nginx:1.27", replicas: 2, autoscaling: { maxReplicas: 6 } },
        [clusterName],
      );
      await expectSucceeded(gantry, fixed.operationId, "autoscaled up");
      const autoNs = (await gantry.call("GET", `/v1/stacks/${fixed.id}`)).body.outputs.namespace;
      expect(await exists("horizontalpodautoscaler", `auto-${suffix}`, autoNs)).toBe(true);
      await kubectl("scale", `deployment/auto-${suffix}`, "-n", autoNs, "--replicas=4");
      const autoPatch = await gantry.call("PATCH", `/v1/stacks/${fixed.id}`, {
        spec: { image: "nginx:1.28" },
      });
      await expectSucceeded(gantry, autoPatch.body.operation.id, "autoscaled update");
      const auto = await kubectl("get", "deployment", `auto-${suffix}`, "-n", autoNs, "-o", "json");
      expect(auto.spec.template.spec.containers[0].image).toBe("nginx:1.28");
      expect(auto.spec.replicas).toBe(4);

      // A rollout that can never be available (no node has room for a fourth 120 GiB pod) fails
      // the operation within its timeout, saying why, instead of hanging.
      const stuck = await create(
        "workload",
        `stuck-${suffix}`,
        {
          target: "kubernetes",
          image: "nginx:1.27",
          replicas: 4,
          cpu: 16384,
          memory: 122880,
          rolloutTimeoutSeconds: 30,
        },
        [clusterName],
      );
      const failed = await gantry.finished(stuck.operationId);
      const failedAfterMs = Date.now() - stuck.started;
      expect(failed.status).toBe("failed");
      expect(failed.error.message).toMatch(/stuck-/);
      expect(failed.error.message).toMatch(
        /Insufficient memory|unavailable|Timeout|timed out|minimum availability/i,
      );
      expect(failed.error.retryable).toBe(false);

      // Delete: every object goes, the namespace with them.
      for (const id of [stuck.id, fixed.id, web.id]) {
        const deleted = await gantry.call("DELETE", `/v1/stacks/${id}`);
        await expectSucceeded(gantry, deleted.body.operation.id, "delete");
      }
      await waitUntil(async () => ((await exists("namespace", namespace)) ? undefined : true), {
        timeout: 120_000,
        interval: 500,
        what: `namespace ${namespace} to be gone`,
      });
      for (const id of [cluster.id, database.id]) {
        const deleted = await gantry.call("DELETE", `/v1/stacks/${id}`);
        await expectSucceeded(gantry, deleted.body.operation.id, "delete");
      }
      console.info(
        `kubernetes workload: POST → ready 3/3 ${readyAfterMs} ms; drift round trip (set image + delete ` +
          `service → drift-check → remediate) ${driftRoundTripMs} ms; failing rollout failed after ${failedAfterMs} ms; ` +
          `kubernetes provider peak RSS ${peakMiB} MiB`,
      );
    },
    TIMEOUT,
  );
});
