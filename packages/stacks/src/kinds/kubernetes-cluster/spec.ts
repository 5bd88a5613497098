// The spec of an attached cluster: the kubeconfig (a secret input) and which of its contexts.
import { z } from "zod";
import { SECRET_INPUT_SET, secretInput } from "../../secret-inputs.ts";
import { KubeconfigError, readKubeconfig } from "./kubeconfig.ts";

const CONTEXT_FIELD = "context";
/** A kubeconfig of the accepted form (a token; without certificate-authority-data, the system's CAs). */
const EXAMPLE =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: 'https://203.0.113.10:6443'}\n" +
  "users:\n- name: gantry\n  user: {token: '<token>'}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: gantry}\n" +
  "current-context: prod\n";

export const kubernetesClusterSpec = z
  .strictObject({
    kubeconfig: secretInput(z.string().min(1).max(262_144))
      .describe(
        "The whole kubeconfig document (YAML or JSON) with the credential embedded: a client " +
          "certificate (client-certificate-data, client-key-data) or a token. Secret: kept only in " +
          `the encrypted state; the spec shows "${SECRET_INPUT_SET}". A PATCH without it keeps it.`,
      )
      .meta({ examples: [EXAMPLE] }),
    [CONTEXT_FIELD]: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("The kubeconfig context to use; default: its current-context.")
      .meta({ examples: ["prod"] }),
    requestTimeoutSeconds: z
      .int()
      .min(1)
      .max(120)
      .default(15)
      .describe("How long each check of the API server may take before the attach fails.")
      .meta({ examples: [15] }),
  })
  .superRefine((spec, ctx) => {
    if (spec.kubeconfig === SECRET_INPUT_SET) return;
    try {
      readKubeconfig(spec.kubeconfig, spec.context);
    } catch (err) {
      if (!(err instanceof KubeconfigError)) throw err;
      ctx.addIssue({ code: "custom", path: ["kubeconfig"], message: err.message });
    }
  })
  .describe("An existing Kubernetes cluster, attached with a kubeconfig.")
  .meta({
    examples: [{ kubeconfig: EXAMPLE }, { kubeconfig: EXAMPLE, context: "prod", requestTimeoutSeconds: 30 }],
  });

export type KubernetesClusterSpec = z.output<typeof kubernetesClusterSpec>;
