// A workload with target kubernetes: on whichever cluster stack it depends on (eks-cluster or an
// attached kubernetes-cluster), read through the cluster contract. It creates and owns its
// namespace, so deleting the workload deletes everything it made there; the shared objects
// (kubernetes-objects.ts) go in it, with a pg-database's password as a Secret beside them.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { clusterDependency } from "../../contracts/cluster.ts";
import type { ProgramContext } from "../../kind.ts";
import type { DatabaseBinding } from "./bindings.ts";
import { databaseAccess } from "./eks-databases.ts";
import { OWNED, type WorkloadObjects } from "./eks-objects.ts";
import { containerObjects, readyReplicas } from "./kubernetes-objects.ts";
import type { PlacedWorkload } from "./placed.ts";
import type { WorkloadSpec } from "./spec.ts";

export async function kubernetesWorkload(
  context: ProgramContext<WorkloadSpec>,
  bindings: DatabaseBinding[],
): Promise<PlacedWorkload> {
  const k8s = await import("@pulumi/kubernetes");
  const { spec } = context;
  const cluster = clusterDependency(context);
  if (!cluster)
    throw new Error(
      "a workload with target kubernetes needs a cluster stack (eks-cluster or kubernetes-cluster)",
    );
  const provider = new k8s.Provider("kubernetes", {
    kubeconfig: cluster.kubeconfig,
    enableServerSideApply: true,
    // Objects name their namespace; the kubeconfig's default namespace must not move them.
    namespace: "default",
  });
  const opts = { provider };
  const name = context.stack.name;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "gantry" };
  const namespace = new k8s.core.v1.Namespace(
    "namespace",
    {
      metadata: {
        name: spec.namespace ?? defaultNamespace(context.stack.teamName, name),
        labels: { ...labels, "gantry.dev/team": context.stack.teamName },
        annotations: { ...OWNED },
      },
    },
    opts,
  );
  const metadata = { name, namespace: namespace.metadata.name, labels, annotations: { ...OWNED } };
  const objects: WorkloadObjects = {
    k8s,
    opts: { provider, dependsOn: [namespace] },
    name,
    labels,
    metadata,
  };
  const access = databaseAccess(objects, bindings);
  const { deployment, service } = containerObjects(objects, spec, access);
  return {
    serviceName: service.metadata.name,
    roleArn: pulumi.output(""),
    url: pulumi.output(""),
    namespace: namespace.metadata.name,
    serviceDnsName: pulumi.interpolate`${service.metadata.name}.${namespace.metadata.name}.svc.cluster.local`,
    readyReplicas: readyReplicas(deployment),
  };
}

/** <team>-<stack> as a DNS label; cut with a digest when longer than 63 characters. */
export function defaultNamespace(teamName: string, stackName: string): string {
  const readable = `${teamName}-${stackName}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  if (readable.length <= 63) return readable.replace(/^-+|-+$/g, "") || "gantry";
  const digest = createHash("sha256").update(`${teamName}\u0000${stackName}`).digest("hex").slice(0, 8);
  return `${readable.slice(0, 54).replace(/-+$/, "")}-${digest}`;
}
