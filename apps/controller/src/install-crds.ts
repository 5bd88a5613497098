// Installs or upgrades the CRDs at start (server-side apply: a newer Gantry's schema replaces the
// older one), then waits until the API server serves each of them.
import type { Logger } from "@gantry/core";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeClient } from "./kube-client.ts";
import type { JsonSchema } from "./structural.ts";

type Crd = KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } };

export async function installCrds(
  kube: Pick<KubeClient, "apply" | "read">,
  crds: readonly JsonSchema[],
  logger: Logger,
  timeoutMs = 60_000,
): Promise<void> {
  for (const crd of crds) await kube.apply(withClientNames(crd) as KubernetesObject);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = (crd.metadata as { name: string }).name;
    for (;;) {
      const current = await kube.read<Crd>({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name },
      });
      if (current?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${name} was not established within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  logger.info({ crds: crds.length }, "CRDs installed");
}

/**
 * @kubernetes/client-node serializes a CRD through its typed model, which reads a schema's
 * `default`, `enum` and `x-kubernetes-*` keywords only under its own property names (`_default`,
 * `_enum`, `x_kubernetes_*`) and silently drops them otherwise: without this, the API server would
 * get CRDs without defaults, enums, list types or preserved fields (status outputs pruned away).
 * The model's `items` and `additionalProperties` are untyped and sent as they are, so the schemas
 * under them keep the API server's own names.
 */
function withClientNames(crd: JsonSchema): JsonSchema {
  const spec = crd.spec as { versions: { schema: { openAPIV3Schema: JsonSchema } }[] };
  return {
    ...crd,
    spec: {
      ...spec,
      versions: spec.versions.map((version) => ({
        ...version,
        schema: { openAPIV3Schema: renameKeywords(version.schema.openAPIV3Schema) },
      })),
    },
  };
}

const NESTED_LIST = new Set(["allOf", "anyOf", "oneOf"]);

function renameKeywords(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    const name =
      key === "default" || key === "enum"
        ? `_${key}`
        : key.startsWith("x-kubernetes-")
          ? key.replaceAll("-", "_")
          : key;
    if (key === "properties" && value && typeof value === "object")
      // Field names are data, not keywords: only the schemas under them are renamed.
      out[name] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([field, schema]) => [
          field,
          renameKeywords(schema),
        ]),
      );
    else if (key === "not" && value && typeof value === "object")
      out[name] = renameKeywords(value as JsonSchema);
    else if (NESTED_LIST.has(key) && Array.isArray(value))
      out[name] = value.map((schema) => renameKeywords(schema as JsonSchema));
    else out[name] = value;
  }
  return out;
}
