// The controller with resources that depend on each other, and with an API server that goes away,
// for real: the real API, worker and engine, and the controller reaching the local cluster through
// an API server of its own on the cluster's etcd (`cluster.sh apiserver`), which the test stops and
// starts without disturbing anyone else's. A Workload applied before the KubernetesCluster it
// depends on waits for it, then runs on the local cluster; it moves to ECS (on a Network) and back
// by edits of its spec; a run that fails shows in its status; the cluster keeps its finalizer while
// the Workload needs it.
// Changes made while the controller's API server is down are reconciled when it is back, without
// the resync (an hour here), and a namespace labelled for a team is served at once.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKubeconfig } from "../support/kube.ts";
import { waitUntil } from "../support/wait.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { apply, conditionOf, getJson, kubectl } from "./kubectl.ts";
import { type GantryProcess, startProcess } from "./processes.ts";

const run = promisify(execFile);
const suffix = Date.now().toString(36);
const namespace = `kd-${suffix}`;
const apiserverName = `ctl-${suffix}`;
/** The controller's own API server: start (idempotent) and stop, each bounded by cluster.sh's waits. */
const apiserver = async (action: "start" | "stop") =>
  (
    await run("bash", ["scripts/kube/cluster.sh", "apiserver", action, apiserverName], { timeout: 120_000 })
  ).stdout
    .trim()
    .split("\n")
    .at(-1) ?? "";

/** Removes Gantry's finalizer by hand: the resource goes, its stack is left as it is. */
const abandon = (kind: string, name: string, ns = namespace) =>
  kubectl(["patch", kind, name, "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);

let gantry: Gantry;
let controller: GantryProcess | undefined;

const resource = (kind: string, name: string, spec: Record<string, unknown>, ns = namespace) => ({
  apiVersion: "gantry.dev/v1alpha1",
  kind,
  metadata: { name, namespace: ns },
  spec,
});

// biome-ignore lint/suspicious/noExplicitAny: the API's answer
async function stacksNamed(name: string): Promise<any[]> {
  const list = await gantry.call("GET", "/v1/stacks?limit=100");
  // biome-ignore lint/suspicious/noExplicitAny: the API's answer
  return list.body.stacks.filter((s: any) => s.name === name);
}

async function operationsOf(name: string): Promise<{ kind: string; status: string }[]> {
  const [stack] = await stacksNamed(name);
  return (await gantry.call("GET", `/v1/stacks/${stack.id}/operations?limit=100`)).body.operations;
}

/** Waits until a resource's condition matches; returns the resource. */
// biome-ignore lint/suspicious/noExplicitAny: whatever the API server answers
async function until(kind: string, name: string, check: (cr: any) => boolean, what: string, ns = namespace) {
  return waitUntil(
    async () => {
      const cr = await getJson(kind, name, "-n", ns);
      return check(cr) ? cr : undefined;
    },
    { timeout: 240_000, interval: 250, what: `${kind} ${name}: ${what}` },
  );
}

describe("the Kubernetes controller with dependencies and API-server restarts", () => {
  beforeAll(async () => {
    gantry = await startGantry();
    const kubeconfig = await apiserver("start");
    controller = await startProcess(
      "apps/controller/src/main.ts",
      {
        ...gantry.env,
        GANTRY_KUBE_CONTROLLER_KUBECONFIG: kubeconfig,
        // An hour: what converges here converges through watches, not the resync.
        GANTRY_KUBE_CONTROLLER_RESYNC_SECONDS: "3600",
        GANTRY_KUBE_CONTROLLER_POLL_MS: "250",
        GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR: `gantry.dev/e2e=${suffix}`,
      },
      /controller ready/,
    );
    await apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { "gantry.dev/team": gantry.teamName, "gantry.dev/e2e": suffix } },
    });
  }, 240_000);

  afterAll(async () => {
    // The controller's API server back (a failed test may have left it stopped), so it can release
    // the resources; dependents first; then the namespaces, and the extra API server goes.
    await apiserver("start").catch(() => undefined);
    for (const ns of [namespace, `${namespace}-late`])
      for (const plural of ["workloads", "pgdatabases", "kubernetesclusters"])
        await kubectl(["delete", plural, "--all", "-n", ns, "--wait=true", "--timeout=180s"]).catch(
          () => undefined,
        );
    // A Network cannot be destroyed without AWS: left by a failed test, it is abandoned.
    await abandon("network", "net").catch(() => undefined);
    await controller?.stop();
    for (const ns of [namespace, `${namespace}-late`])
      await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    await apiserver("stop").catch(() => undefined);
    await gantry?.stop();
  }, 600_000);

  it("runs a Workload on the KubernetesCluster it depends on, moves it to ECS and back by edits; failed runs show in its status; the cluster waits for it on delete", async () => {
    const web = (spec: Record<string, unknown>) =>
      resource("Workload", "web", {
        target: "kubernetes",
        image: "nginx:1.27",
        replicas: 2,
        rolloutTimeoutSeconds: 120,
        dependsOn: [{ kind: "KubernetesCluster", name: "local" }],
        ...spec,
      });
    // The Workload first: it names a resource that is not there yet.
    await apply(web({}));
    const waiting = await until(
      "workload",
      "web",
      (cr) => conditionOf(cr, "Synced")?.status === "False",
      "waiting",
    );
    expect(conditionOf(waiting, "Synced")).toMatchObject({
      reason: "DependencyNotFound",
      message: `spec.dependsOn: there is no KubernetesCluster ${namespace}/local`,
    });
    expect(await stacksNamed("web")).toEqual([]);

    // The cluster's kubeconfig from a Secret (a secret input is never a field of the resource).
    await apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "local-kubeconfig", namespace },
      stringData: { kubeconfig: await readFile(testKubeconfig(), "utf8") },
    });
    await apply(resource("KubernetesCluster", "local", { secretInputsFrom: { name: "local-kubeconfig" } }));
    await kubectl([
      "wait",
      "--for=condition=Ready",
      "kubernetescluster/local",
      "-n",
      namespace,
      "--timeout=180s",
    ]);
    const ready = await until(
      "workload",
      "web",
      (cr) => conditionOf(cr, "Ready")?.status === "True",
      "Ready",
    );
    expect(conditionOf(ready, "Synced")?.status).toBe("True");
    expect(ready.status.outputs).toMatchObject({ target: "kubernetes", readyReplicas: 2 });
    const objects = ready.status.outputs.namespace as string;
    const deployment = await getJson("deployment", "web", "-n", objects);
    // The rollout was awaited by the up (readyReplicas above); kwok's nodes, on a loaded machine,
    // may since have flapped, so the live object is checked for its spec, not its readiness.
    expect(deployment.spec.replicas).toBe(2);
    const [clusterStack] = await stacksNamed("local");
    expect(clusterStack.spec.kubeconfig).toBe("[set]");
    const [webStack] = await stacksNamed("web");
    // biome-ignore lint/suspicious/noExplicitAny: the API's answer
    expect(webStack.dependsOn.map((d: any) => d.name)).toEqual(["local"]);

    // To ECS, by an edit: target ecs, on a Network instead of the cluster. A spec change like any
    // other: a new generation and a new up, which cannot run here (no AWS credentials), so it
    // fails fast, saying so; nothing of it happened, and the Deployment still runs on the cluster.
    await apply(resource("Network", "net", {}));
    await apply(web({ target: "ecs", dependsOn: [{ kind: "Network", name: "net" }] }));
    const onEcs = await until(
      "workload",
      "web",
      (cr) => cr.status?.observedGeneration === 2 && cr.status?.lastOperation?.status === "failed",
      "the move to ECS run",
    );
    expect(conditionOf(onEcs, "Synced")?.status).toBe("True");
    expect(conditionOf(onEcs, "Ready")).toMatchObject({ status: "False", reason: "OperationFailed" });
    expect(onEcs.status.lastOperation.error).toMatch(/no AWS credentials are configured/);
    const [ecsStack] = await stacksNamed("web");
    expect(ecsStack.spec.target).toBe("ecs");
    // biome-ignore lint/suspicious/noExplicitAny: the API's answer
    expect(ecsStack.dependsOn.map((d: any) => d.name)).toEqual(["net"]);
    expect((await getJson("deployment", "web", "-n", objects)).spec.replicas).toBe(2);

    // And back on the cluster: its up succeeds and lets go of the network, which it did not use.
    await apply(web({}));
    const back = await until(
      "workload",
      "web",
      (cr) => cr.status?.observedGeneration === 3 && conditionOf(cr, "Ready")?.status === "True",
      "back on the cluster",
    );
    expect(back.status.outputs).toMatchObject({ target: "kubernetes", readyReplicas: 2 });
    // biome-ignore lint/suspicious/noExplicitAny: the API's answer
    expect((await stacksNamed("web"))[0].dependsOn.map((d: any) => d.name)).toEqual(["local"]);
    // So deleting the network is not held by the Workload: its destroy runs (and fails here, as
    // its up did, for want of AWS); the finalizer is removed by hand, abandoning it.
    await kubectl(["delete", "network", "net", "-n", namespace, "--wait=false"]);
    const netDestroy = await until(
      "network",
      "net",
      (cr) => cr.status?.lastOperation?.kind === "destroy" && cr.status.lastOperation.status === "failed",
      "its destroy run",
    );
    expect(netDestroy.status.lastOperation.error).toMatch(/no AWS credentials are configured/);
    expect(conditionOf(netDestroy, "Ready")).toMatchObject({ status: "False", reason: "OperationFailed" });
    expect(netDestroy.metadata.finalizers).toContain("gantry.dev/stack");
    await abandon("network", "net");

    // A change the stack takes but whose run fails (no node has room for a fourth 120 GiB pod): a
    // new `up`, and Ready=False with the operation's error.
    await apply(web({ replicas: 4, cpu: 16384, memory: 122880, rolloutTimeoutSeconds: 30 }));
    const failed = await until(
      "workload",
      "web",
      (cr) => cr.status?.lastOperation?.status === "failed",
      "the failed rollout",
    );
    expect(failed.status.observedGeneration).toBe(4);
    expect(conditionOf(failed, "Synced")?.status).toBe("True");
    expect(conditionOf(failed, "Ready")).toMatchObject({ status: "False", reason: "OperationFailed" });
    expect(failed.status.lastOperation.error).toMatch(/web/);
    expect((await operationsOf("web")).map((o) => o.kind)).toEqual(["up", "up", "up", "up"]);

    // The cluster is used by the Workload: deleting it leaves it, finalizer and all, saying by whom.
    await kubectl(["delete", "kubernetescluster", "local", "-n", namespace, "--wait=false"]);
    const held = await until(
      "kubernetescluster",
      "local",
      (cr) => conditionOf(cr, "Ready")?.reason === "DependentsExist",
      "held by its dependent",
    );
    expect(held.metadata.finalizers).toContain("gantry.dev/stack");
    expect(conditionOf(held, "Ready")?.message).toBe(
      `used by Workload ${namespace}/web; deleted once they are gone`,
    );
    expect((await stacksNamed("local"))[0].status).toBe("ready");
    // The Workload goes (its namespace with it), then the cluster.
    await kubectl(["delete", "workload", "web", "-n", namespace, "--wait=true", "--timeout=180s"]);
    await kubectl(["wait", "--for=delete", "kubernetescluster/local", "-n", namespace, "--timeout=180s"]);
    expect((await stacksNamed("web"))[0].status).toBe("destroyed");
    expect((await stacksNamed("local"))[0].status).toBe("destroyed");
    expect(await kubectl(["get", "namespace", objects, "--ignore-not-found", "-o", "name"])).toBe("");
  }, 600_000);

  it("reconciles what changed while its API server was down once it is back, with no second stack or operation", async () => {
    await apply(resource("PgDatabase", "before", { connectionLimit: 5 }));
    await kubectl(["wait", "--for=condition=Ready", "pgdatabase/before", "-n", namespace, "--timeout=180s"]);

    // The controller's API server goes; the cluster goes on (changes through the main one).
    await apiserver("stop");
    try {
      await apply(resource("PgDatabase", "before", { connectionLimit: 7 }));
      await apply(resource("PgDatabase", "during", {}));
      // Nothing reconciles them meanwhile.
      expect((await stacksNamed("during")).length).toBe(0);
    } finally {
      await apiserver("start");
    }
    const backAt = Date.now();
    await until(
      "pgdatabase",
      "before",
      (cr) => cr.status?.observedGeneration === 2 && conditionOf(cr, "Ready")?.status === "True",
      "the change made while the API server was down",
    );
    await kubectl(["wait", "--for=condition=Ready", "pgdatabase/during", "-n", namespace, "--timeout=180s"]);
    console.log(`kube-controller: API server back → both resources converged in ${Date.now() - backAt} ms`);
    expect(await stacksNamed("before")).toHaveLength(1);
    expect(await stacksNamed("during")).toHaveLength(1);
    expect((await operationsOf("before")).map((o) => o.kind)).toEqual(["up", "up"]);
    expect(await operationsOf("during")).toHaveLength(1);
    for (const name of ["before", "during"])
      await kubectl(["delete", "pgdatabase", name, "-n", namespace, "--wait=true", "--timeout=120s"]);
  }, 600_000);

  it("serves a namespace as soon as it is labelled for a team, not at the next resync", async () => {
    const late = `${namespace}-late`;
    await apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: late, labels: { "gantry.dev/e2e": suffix } },
    });
    await apply(resource("PgDatabase", "late-db", {}, late));
    await kubectl(["label", "namespace", late, `gantry.dev/team=${gantry.teamName}`]);
    await kubectl(["wait", "--for=condition=Ready", "pgdatabase/late-db", "-n", late, "--timeout=180s"]);
    await kubectl(["delete", "pgdatabase", "late-db", "-n", late, "--wait=true", "--timeout=120s"]);
  }, 300_000);
});
