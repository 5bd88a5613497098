// kubernetes-cluster: an existing cluster, attached. It creates nothing: each `up` checks that the
// API server answers and that the kubeconfig's credential may do what a workload needs, and
// outputs what the cluster contract promises. The kubeconfig is a secret input and output.
import * as pulumi from "@pulumi/pulumi";
import { defineKind } from "../../kind.ts";
import { kubernetesClusterDefinition } from "./definition.ts";
import { ClusterCheckError, inspectCluster } from "./inspect.ts";
import { KubeconfigError, readKubeconfig } from "./kubeconfig.ts";

export const kubernetesCluster = defineKind({
  ...kubernetesClusterDefinition,

  async program({ spec, secretInputs }) {
    const given = secretInputs.kubeconfig;
    if (!given) throw new pulumi.RunError("kubernetes-cluster: spec.kubeconfig has no value");
    const access = given.apply((text) => {
      try {
        return readKubeconfig(text, spec.context);
      } catch (err) {
        if (err instanceof KubeconfigError) throw new pulumi.RunError(`spec.kubeconfig ${err.message}`);
        throw err;
      }
    });
    const facts = access.apply(async (cluster) => {
      try {
        return await inspectCluster(cluster, spec.requestTimeoutSeconds * 1000);
      } catch (err) {
        if (err instanceof ClusterCheckError)
          throw new pulumi.RunError(`cannot attach the cluster: ${err.message}`);
        throw err;
      }
    });
    // The facts came from a secret (the kubeconfig); they are not secrets themselves.
    const plain = <T>(pick: (f: Awaited<typeof facts extends pulumi.Output<infer F> ? F : never>) => T) =>
      pulumi.unsecret(facts.apply(pick));
    return {
      endpoint: plain((f) => f.endpoint),
      kubernetesVersion: plain((f) => f.kubernetesVersion),
      nodeCount: plain((f) => f.nodeCount),
      zones: plain((f) => f.zones),
      kubeconfig: pulumi.secret(access.apply((cluster) => cluster.document)),
    };
  },
});
