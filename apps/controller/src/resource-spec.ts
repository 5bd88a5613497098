// What a custom resource asks of its stack: the kind's spec (without the resource-only fields),
// the secret inputs from the Secret it names, and its dependencies' stack names.
import { RESOURCE_FIELDS } from "./crds.ts";
import type { CustomResource, KubeClient } from "./kube-client.ts";

export interface DesiredStack {
  spec: Record<string, unknown>;
  dependsOn: string[];
  /** The Secret's resourceVersion, to notice a change of secret values alone. */
  secretInputsVersion?: string;
}

export class ResourceSpecError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export async function desiredStack(
  kube: Pick<KubeClient, "readSecret">,
  cr: CustomResource,
  secretInputs: readonly string[],
): Promise<DesiredStack> {
  const all = cr.spec ?? {};
  const spec = Object.fromEntries(
    Object.entries(all).filter(([key]) => !(RESOURCE_FIELDS as readonly string[]).includes(key)),
  );
  const dependsOn = Array.isArray(all.dependsOn)
    ? (all.dependsOn as { name: string }[]).map((ref) => ref.name)
    : [];
  const from = (all.secretInputsFrom as { name?: string } | undefined)?.name;
  if (!from) return { spec, dependsOn };
  const secret = await kube.readSecret(cr.metadata.namespace, from);
  if (!secret)
    throw new ResourceSpecError(
      "SecretNotFound",
      `secretInputsFrom: no Secret "${from}" in namespace ${cr.metadata.namespace}`,
    );
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (secretInputs.includes(key)) spec[key] = Buffer.from(value, "base64").toString("utf8");
  }
  return { spec, dependsOn, secretInputsVersion: secret.metadata?.resourceVersion };
}
