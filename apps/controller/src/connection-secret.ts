// The Secret named by spec.writeConnectionSecretToRef: every output of the stack (secret ones
// revealed from the Pulumi state), owned by the custom resource so it goes when the resource goes.
// Written once per successful operation: the operation's id is on the Secret.
import type { LoadedStack } from "@gantry/api/controller";
import type { RevealedOutputs } from "@gantry/engine";
import type { CustomResource, KubeClient } from "./kube-client.ts";

const OPERATION_ANNOTATION = "gantry.dev/operation";

export async function writeConnectionSecret(
  deps: {
    kube: Pick<KubeClient, "readSecret" | "apply">;
    readOutputs: (stack: LoadedStack) => Promise<RevealedOutputs>;
  },
  cr: CustomResource,
  stack: LoadedStack,
  operationId: string,
): Promise<void> {
  const name = (cr.spec?.writeConnectionSecretToRef as { name?: string } | undefined)?.name;
  if (!name) return;
  const current = await deps.kube.readSecret(cr.metadata.namespace, name);
  if (current?.metadata?.annotations?.[OPERATION_ANNOTATION] === operationId) return;
  const outputs = await deps.readOutputs(stack);
  const stringData = Object.fromEntries(
    Object.entries(outputs).map(([key, { value }]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  await deps.kube.apply({
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name,
      namespace: cr.metadata.namespace,
      annotations: { [OPERATION_ANNOTATION]: operationId },
      labels: { "app.kubernetes.io/managed-by": "gantry-controller" },
      ownerReferences: [
        {
          apiVersion: cr.apiVersion ?? "",
          kind: cr.kind ?? "",
          name: cr.metadata.name,
          uid: cr.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    stringData,
  } as never);
}
