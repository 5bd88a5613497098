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
  for (const crd of crds) await kube.apply(crd as KubernetesObject);
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
