// The Kubernetes controller process: installs the CRDs, watches every Gantry kind's custom
// resources, and reconciles each through the REST API's stack service. Watches that break are
// started again (a fresh list), and every resource is reconciled again each resync, so missed
// events and restarts of the controller or the API server converge.
import { createPolicyChecker, createStacksService, loadPolicyFile } from "@gantry/api/controller";
import { createLogger } from "@gantry/core";
import { createDb } from "@gantry/db";
import { loadEngineSettings, readStackOutputs } from "@gantry/engine";
import { specRegistryFor } from "@gantry/stacks/specs";
import {
  CoreV1Api,
  CustomObjectsApi,
  type Informer,
  KubeConfig,
  type KubernetesObject,
  makeInformer,
  type V1Namespace,
} from "@kubernetes/client-node";
import { loadConfig } from "./config.ts";
import { crdFor, GROUP, resourceKindOf, secretInputsOf, VERSION } from "./crds.ts";
import { installCrds } from "./install-crds.ts";
import { type CustomResource, createKubeClient } from "./kube-client.ts";
import { createReconciler } from "./reconcile.ts";
import { createWorkQueue } from "./work-queue.ts";

const config = loadConfig();
const logger = createLogger({ name: "gantry-controller", level: config.logLevel });
const db = createDb(config.databaseUrl);
const kinds = specRegistryFor({ benchKinds: false });
const policy = createPolicyChecker(await loadPolicyFile(config.policyFile));
const stacks = createStacksService({ db, kinds, policy, secretInputKey: config.secretInputKey });

const kc = new KubeConfig();
kc.loadFromFile(config.kubeconfig);
const kube = createKubeClient(kc);
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);

// Connection Secrets need the secret outputs, read from the Pulumi state as the API's reveal does.
const settings = (() => {
  try {
    return loadEngineSettings();
  } catch (err) {
    logger.warn(
      { reason: (err as Error).message },
      "connection Secrets cannot be written: engine settings are incomplete",
    );
    return undefined;
  }
})();

const resources = kinds.listKinds().map((listing) => ({
  rk: resourceKindOf(listing.name),
  secretInputs: secretInputsOf(listing),
  crd: crdFor(listing),
}));
const byPlural = new Map(resources.map((r) => [r.rk.plural, r]));

const reconciler = createReconciler({
  kube,
  db,
  stacks,
  kinds,
  logger,
  pollMs: config.pollMs,
  retryDestroyMs: config.resyncMs,
  namespaceSelector: config.namespaceSelector,
  readOutputs: async (stack) => {
    if (!settings) throw new Error("engine settings are incomplete: secret outputs cannot be read");
    return readStackOutputs(settings, stack, stack.spec);
  },
});

const queue = createWorkQueue(async (key) => {
  const [plural = "", namespace = "", name = ""] = key.split("/");
  const resource = byPlural.get(plural);
  if (!resource) return undefined;
  try {
    const cr = await kube.get(plural, namespace, name);
    if (!cr) return undefined;
    return (await reconciler.reconcile(resource.rk, cr, resource.secretInputs)).requeueMs;
  } catch (err) {
    // A conflict (the resource changed under us) or an unreachable API server: look again soon.
    logger.warn({ err, resource: key }, "reconcile failed; retrying");
    return 2000;
  }
}, 4);

let stopping = false;
const keyOf = (plural: string, obj: KubernetesObject) =>
  `${plural}/${obj.metadata?.namespace}/${obj.metadata?.name}`;

// An API server not (yet) reachable is waited for: the controller may start before its cluster.
for (let attempt = 1; ; attempt++) {
  try {
    await installCrds(
      kube,
      resources.map((r) => r.crd),
      logger,
    );
    break;
  } catch (err) {
    logger.warn({ err: (err as Error).message, attempt }, "CRDs could not be installed; trying again");
    await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5))));
  }
}

/**
 * A watch that breaks (the API server restarts, a connection drops) is started again each second
 * until it holds, and its kind is listed again, so what changed while it was down is reconciled
 * now rather than at the next resync.
 */
function keepWatching(
  informer: Pick<Informer<KubernetesObject>, "on" | "start">,
  what: string,
  relist: () => Promise<void>,
): void {
  let broken = 0;
  informer.on("error", (err) => {
    if (stopping) return;
    if (broken++ === 0)
      logger.warn({ err: String(err), watch: what }, "watch broke; listing and watching again");
    setTimeout(() => {
      void informer.start().catch(() => undefined);
      void relist().then(
        () => {
          if (broken > 0) logger.info({ watch: what, attempts: broken }, "watch listed again");
          broken = 0;
        },
        () => undefined,
      );
    }, 1000);
  });
}

const relistKind = async (plural: string) => {
  for (const cr of await kube.list(plural)) queue.add(keyOf(plural, cr));
};

const informers = resources.map(({ rk }) => {
  const informer = makeInformer<CustomResource>(kc, `/apis/${GROUP}/${VERSION}/${rk.plural}`, async () => {
    return (await custom.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: rk.plural,
    })) as never;
  });
  const enqueue = (obj: KubernetesObject) => queue.add(keyOf(rk.plural, obj));
  informer.on("add", enqueue);
  informer.on("update", enqueue);
  informer.on("delete", enqueue);
  keepWatching(informer, rk.plural, () => relistKind(rk.plural));
  return { rk, informer };
});

// Namespaces too: a team label added (or changed) is acted on at once, not at the next resync.
const namespaces = makeInformer<V1Namespace>(kc, "/api/v1/namespaces", () => core.listNamespace() as never);
const namespaceChanged = (ns: V1Namespace) => {
  const name = ns.metadata?.name;
  if (!name) return;
  for (const { rk, informer } of informers)
    for (const cr of informer.list(name)) queue.add(keyOf(rk.plural, cr));
};
namespaces.on("add", namespaceChanged);
namespaces.on("update", namespaceChanged);
keepWatching(namespaces, "namespaces", async () => {
  for (const ns of (await core.listNamespace()).items) namespaceChanged(ns);
});

await Promise.all([...informers.map(({ informer }) => informer.start()), namespaces.start()]);

/** Everything again, whatever the watches saw: the safety net for missed events. */
async function resync(): Promise<void> {
  for (const { rk } of resources) {
    try {
      await relistKind(rk.plural);
    } catch (err) {
      logger.warn({ err, kind: rk.kind }, "resync list failed");
    }
  }
}
const resyncTimer = setInterval(() => void resync(), config.resyncMs);
logger.info({ kinds: resources.map((r) => r.rk.kind) }, "controller ready");

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "controller stopping");
  clearInterval(resyncTimer);
  await Promise.all([...informers.map(({ informer }) => informer.stop()), namespaces.stop()]);
  await queue.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
