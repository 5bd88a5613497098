// Kubernetes as Gantry's second front door, for real: the real API, worker and engine, the
// controller process, and the local cluster's own kubectl. A labelled namespace and a PgDatabase
// with a connection Secret become a ready database one connects to with that Secret; a spec change
// is seen through observedGeneration and on the server; the API server itself refuses an invalid
// spec; REST changes to the owned stack answer 409; a controller killed mid-reconcile converges
// without a second stack or operation; deleting the resource drops the database and releases it;
// a spec the team's policy refuses is Synced=False before any stack exists.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKubeconfig } from "../support/kube.ts";
import { waitUntil } from "../support/wait.ts";
import { type Gantry, startGantry } from "./gantry.ts";
import { apply, getJson, kubectl } from "./kubectl.ts";
import { type GantryProcess, startProcess } from "./processes.ts";

let gantry: Gantry;
let controller: GantryProcess;
const suffix = Date.now().toString(36);
const namespace = `kc-${suffix}`;

async function startController(): Promise<GantryProcess> {
  return startProcess(
    "apps/controller/src/main.ts",
    {
      ...gantry.env,
      GANTRY_KUBE_CONTROLLER_KUBECONFIG: testKubeconfig(),
      GANTRY_KUBE_CONTROLLER_RESYNC_SECONDS: "5",
      GANTRY_KUBE_CONTROLLER_POLL_MS: "250",
      // Only this file's namespace: other files' controllers run beside this one on the cluster.
      GANTRY_KUBE_CONTROLLER_NAMESPACE_SELECTOR: `gantry.dev/e2e=${suffix}`,
    },
    /controller ready/,
  );
}

const pgDatabase = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: "gantry.dev/v1alpha1",
  kind: "PgDatabase",
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec,
});

/** The team's stack of that name, as REST shows it. */
async function stackNamed(name: string) {
  const list = await gantry.call("GET", "/v1/stacks?limit=100");
  // biome-ignore lint/suspicious/noExplicitAny: the API's answer
  return list.body.stacks.find((s: any) => s.name === name);
}

async function onServer<T>(query: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: gantry.env.GANTRY_PG_SERVER_URL });
  await client.connect();
  try {
    return (await client.query(query, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("the Kubernetes controller", () => {
  beforeAll(async () => {
    gantry = await startGantry();
    controller = await startController();
    await apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { "gantry.dev/team": gantry.teamName, "gantry.dev/e2e": suffix } },
    });
  }, 180_000);

  afterAll(async () => {
    // Resources first, while the controller still runs to release them; then the namespace.
    for (const plural of ["workloads", "pgdatabases", "kubernetesclusters", "eksclusters", "rdsdatabases"])
      await kubectl(["delete", plural, "--all", "-n", namespace, "--wait=true", "--timeout=120s"]).catch(
        () => undefined,
      );
    await controller?.stop();
    await kubectl(["delete", "namespace", namespace, "--wait=false", "--ignore-not-found"]).catch(
      () => undefined,
    );
    await gantry?.stop();
  }, 180_000);

  it("installs a structural CRD per kind that kubectl explain describes", async () => {
    const crds = await kubectl(["get", "crds", "-o", "name"]);
    for (const kind of [
      "pgdatabases",
      "networks",
      "eksclusters",
      "ecsservices",
      "rdsdatabases",
      "workloads",
      "kubernetesclusters",
    ])
      expect(crds).toContain(`${kind}.gantry.dev`);
    // Listed is not yet served: the API server serves a CRD's resource once it is established.
    const explained = await waitUntil(
      () => kubectl(["explain", "pgdatabase.spec.connectionLimit"]).catch(() => undefined),
      { timeout: 60_000, what: "kubectl explain to find the PgDatabase resource" },
    );
    expect(explained).toMatch(/Most concurrent connections/);
    const cluster = await kubectl(["explain", "kubernetescluster.spec"]);
    // The kubeconfig is a secret input: not a field of the resource, but a key of secretInputsFrom's Secret.
    expect(cluster).not.toMatch(/^\s+kubeconfig\s+<string>/m);
    expect(cluster).toMatch(/secretInputsFrom/);
  });

  it("makes a PgDatabase ready with a connection Secret, changes it, owns it, and refuses invalid specs", async () => {
    const started = Date.now();
    await apply(
      pgDatabase("orders", { connectionLimit: 5, writeConnectionSecretToRef: { name: "orders-conn" } }),
    );
    await kubectl(["wait", "--for=condition=Ready", "pgdatabase/orders", "-n", namespace, "--timeout=180s"]);
    const readyMs = Date.now() - started;
    // Where the time went: the controller (apply → operation queued), the queue, the engine's run.
    const [first] = (await gantry.call("GET", `/v1/stacks/${(await stackNamed("orders")).id}/operations`))
      .body.operations;
    const at = (t: string) => new Date(t).getTime() - started;
    console.log(
      `kube-controller: kubectl apply → Ready=True in ${readyMs} ms (operation queued at ${at(first.createdAt)} ms, ` +
        `started at ${at(first.startedAt)} ms, finished at ${at(first.finishedAt)} ms)`,
    );

    const cr = await getJson("pgdatabase", "orders", "-n", namespace);
    expect(cr.status.observedGeneration).toBe(cr.metadata.generation);
    expect(cr.metadata.finalizers).toContain("gantry.dev/stack");
    // biome-ignore lint/suspicious/noExplicitAny: the condition list
    const conditionOf = (type: string) => cr.status.conditions.find((c: any) => c.type === type);
    expect(conditionOf("Synced")).toMatchObject({ status: "True" });
    expect(cr.status.outputs).toMatchObject({ database: expect.any(String), username: expect.any(String) });
    expect(cr.status.outputs.password).toBeUndefined();
    expect(cr.status.lastOperation).toMatchObject({ kind: "up", status: "succeeded" });

    // The connection Secret works, and belongs to the resource.
    const secret = await getJson("secret", "orders-conn", "-n", namespace);
    expect(secret.metadata.ownerReferences[0]).toMatchObject({ kind: "PgDatabase", name: "orders" });
    const url = Buffer.from(secret.data.connectionString, "base64").toString("utf8");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const [row] = (await client.query("select current_database() as db")).rows;
    await client.end();
    expect(row.db).toBe(cr.status.outputs.database);

    // One owner: the stack says so, and REST changes to it are refused naming the resource.
    const stack = await stackNamed("orders");
    expect(stack.managedBy).toBe(`PgDatabase ${namespace}/orders`);
    const patch = await gantry.call("PATCH", `/v1/stacks/${stack.id}`, { spec: { connectionLimit: 9 } });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ error: "stack_managed" });
    expect(patch.body.message).toContain(`PgDatabase ${namespace}/orders`);
    expect((await gantry.call("DELETE", `/v1/stacks/${stack.id}`)).status).toBe(409);
    // The controller's changes are audited as its own, naming the resource.
    const audit = await gantry.call("GET", "/v1/audit?actor=kube-controller");
    expect(audit.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: "stack.create", targetId: stack.id })]),
    );

    // A spec change: observedGeneration catches up and the server has the new limit.
    await apply(
      pgDatabase("orders", { connectionLimit: 7, writeConnectionSecretToRef: { name: "orders-conn" } }),
    );
    const generation = (await getJson("pgdatabase", "orders", "-n", namespace)).metadata.generation;
    expect(generation).toBe(2);
    await kubectl([
      "wait",
      "--for=jsonpath={.status.observedGeneration}=2",
      "pgdatabase/orders",
      "-n",
      namespace,
      "--timeout=60s",
    ]);
    await waitUntil(
      async () => {
        const ready = await getJson("pgdatabase", "orders", "-n", namespace);
        // biome-ignore lint/suspicious/noExplicitAny: the condition list
        const r = ready.status.conditions.find((c: any) => c.type === "Ready");
        return r?.status === "True" && ready.status.lastOperation.status === "succeeded" ? true : undefined;
      },
      { timeout: 120_000, interval: 250, what: "orders to be Ready again" },
    );
    const [limit] = await onServer<{ datconnlimit: number }>(
      "select datconnlimit from pg_database where datname = $1",
      [cr.status.outputs.database],
    );
    expect(limit?.datconnlimit).toBe(7);

    // The API server itself refuses a spec outside the schema, and an unknown field.
    await expect(apply(pgDatabase("orders", { connectionLimit: 5000 }))).rejects.toThrow(
      /connectionLimit.*1000/s,
    );
    await expect(apply(pgDatabase("orders", { colour: "blue" }))).rejects.toThrow(/unknown field/);
    await expect(apply(pgDatabase("orders", { extensions: ["plv8"] }))).rejects.toThrow(/Unsupported value/);

    // Deleting the resource destroys the stack, drops the database, then releases the resource.
    await kubectl(["delete", "pgdatabase", "orders", "-n", namespace, "--wait=true", "--timeout=120s"]);
    expect((await stackNamed("orders")).status).toBe("destroyed");
    expect(
      await onServer("select 1 from pg_database where datname = $1", [cr.status.outputs.database]),
    ).toHaveLength(0);
  }, 420_000);

  it("refuses what the team's policy does not allow as Synced=False, before any stack or run", async () => {
    // config/platform-policy.json, the controller's default: no db.m7g.16xlarge, at most 20 nodes.
    const refusals = [
      {
        kind: "RdsDatabase",
        name: "big-db",
        spec: { instanceClass: "db.m7g.16xlarge" },
        message:
          /^spec\.instanceClass: policy "allowedInstanceClasses": instance class "db\.m7g\.16xlarge" is not allowed/,
      },
      {
        kind: "EksCluster",
        name: "big-eks",
        spec: { kubernetesVersion: "1.33", compute: { mode: "nodeGroups", maxPerZone: 50 } },
        message: /^spec\.compute\.maxPerZone: policy "maxNodeCount": 50 nodes is more than the 20 allowed/,
      },
    ];
    for (const { kind, name, spec } of refusals)
      await apply({ apiVersion: "gantry.dev/v1alpha1", kind, metadata: { name, namespace }, spec });
    for (const { kind, name, message } of refusals) {
      // biome-ignore lint/suspicious/noExplicitAny: the condition list
      const synced: any = await waitUntil(
        async () => {
          const cr = await getJson(kind.toLowerCase(), name, "-n", namespace);
          // biome-ignore lint/suspicious/noExplicitAny: the condition list
          return cr.status?.conditions?.find((c: any) => c.type === "Synced" && c.status === "False");
        },
        { timeout: 60_000, interval: 250, what: `${kind} ${name} to be Synced=False` },
      );
      expect(synced.reason).toBe("PolicyViolation");
      expect(synced.message).toMatch(message);
      expect(await stackNamed(name)).toBeUndefined();
    }
    // Nothing to destroy: deleting them lets them go at once.
    await kubectl([
      "delete",
      "rdsdatabase,ekscluster",
      "--all",
      "-n",
      namespace,
      "--wait=true",
      "--timeout=60s",
    ]);
  }, 120_000);

  it("converges after the controller is killed mid-reconcile, with one stack and one operation", async () => {
    await apply(pgDatabase("ledger", {}));
    // Killed as soon as the stack exists: its operation is queued or running, its status unwritten.
    await waitUntil(() => stackNamed("ledger"), { timeout: 60_000, interval: 50, what: "the ledger stack" });
    await controller.kill();
    controller = await startController();
    await kubectl(["wait", "--for=condition=Ready", "pgdatabase/ledger", "-n", namespace, "--timeout=180s"]);
    const stack = await stackNamed("ledger");
    const operations = await gantry.call("GET", `/v1/stacks/${stack.id}/operations?limit=100`);
    expect(operations.body.operations).toHaveLength(1);
    expect((await getJson("pgdatabase", "ledger", "-n", namespace)).status.observedGeneration).toBe(1);
    const rss = Number(
      /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${controller.child.pid}/status`, "utf8"))?.[1],
    );
    console.log(`kube-controller: controller RSS ${Math.round(rss / 1024)} MiB`);
  }, 300_000);
});
