// The few Kubernetes calls the controller makes, over @kubernetes/client-node: server-side apply
// (CRDs, connection Secrets), merge patches of metadata and status, reads of namespaces.
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { GROUP, VERSION } from "./crds.ts";

/** The field manager Gantry's writes are recorded under (managedFields). */
export const FIELD_MANAGER = "gantry-controller";

export interface CustomResource extends KubernetesObject {
  metadata: NonNullable<KubernetesObject["metadata"]> & { name: string; namespace: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function createKubeClient(kc: KubeConfig) {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

  return {
    /** Server-side apply, taking over fields other managers set (Gantry owns what it applies). */
    apply: <T extends KubernetesObject>(object: T) =>
      objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),

    read: <T extends KubernetesObject>(header: {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace?: string };
    }) => absentAsUndefined(objects.read<T>(header as never)),

    list: async (plural: string): Promise<CustomResource[]> => {
      const list = await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural });
      return (list as { items: CustomResource[] }).items;
    },

    get: async (plural: string, namespace: string, name: string): Promise<CustomResource | undefined> =>
      absentAsUndefined(
        custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace, name }),
      ),

    patchMetadata: (plural: string, namespace: string, name: string, metadata: Record<string, unknown>) =>
      custom.patchNamespacedCustomObject(
        { group: GROUP, version: VERSION, plural, namespace, name, body: { metadata } },
        merge,
      ),

    patchStatus: (plural: string, namespace: string, name: string, status: Record<string, unknown>) =>
      custom.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, plural, namespace, name, body: { status } },
        merge,
      ),

    namespaceLabels: async (name: string): Promise<Record<string, string> | undefined> => {
      const ns = await absentAsUndefined(core.readNamespace({ name }));
      return ns ? (ns.metadata?.labels ?? {}) : undefined;
    },

    readSecret: (namespace: string, name: string) =>
      absentAsUndefined(core.readNamespacedSecret({ namespace, name })),
  };
}

export type KubeClient = ReturnType<typeof createKubeClient>;

async function absentAsUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return undefined;
    throw err;
  }
}
