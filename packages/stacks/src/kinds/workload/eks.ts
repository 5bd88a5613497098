// A workload on the eks-cluster it depends on, through @pulumi/kubernetes with a provider built
// from the cluster's kubeconfig (a secret output, read through the stack reference): the shared
// Kubernetes objects (kubernetes-objects.ts) in an existing namespace, a service account with an
// IRSA role, optional ALB Ingress, and for RDS bindings a SecurityGroupPolicy so the pods join the
// database's client security group.
import * as pulumi from "@pulumi/pulumi";
import { irsaTrust, readSecretsPolicy, role } from "../../aws/iam.ts";
import { dependencyOfKind } from "../../dependencies.ts";
import type { ProgramContext } from "../../kind.ts";
import type { DatabaseBinding } from "./bindings.ts";
import { databaseAccess } from "./eks-databases.ts";
import { albIngress } from "./eks-ingress.ts";
import { OWNED, type WorkloadObjects } from "./eks-objects.ts";
import { containerObjects, readyReplicas } from "./kubernetes-objects.ts";
import type { PlacedWorkload } from "./placed.ts";
import type { WorkloadSpec } from "./spec.ts";

export async function eksWorkload(
  context: ProgramContext<WorkloadSpec>,
  bindings: DatabaseBinding[],
  tags: Record<string, string>,
): Promise<PlacedWorkload> {
  // Loaded here, not at the top: every engine process imports the kind registry, and only this
  // path needs the (large) Kubernetes SDK.
  const k8s = await import("@pulumi/kubernetes");
  const { spec } = context;
  const cluster = dependencyOfKind(context, "eks-cluster");
  if (!cluster) throw new Error("a workload with target eks needs an eks-cluster stack in dependsOn");
  const out = cluster.outputs;
  const provider = new k8s.Provider("cluster", {
    kubeconfig: pulumi.output(out.kubeconfig as pulumi.Input<string>),
    enableServerSideApply: true,
  });
  const opts = { provider };
  const name = context.stack.name;
  const namespace = spec.namespace ?? "default";
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "gantry" };
  const metadata = { name, namespace, labels, annotations: { ...OWNED } };
  const objects: WorkloadObjects = { k8s, opts, name, labels, metadata };

  // IRSA: only this service account may assume the role; it may read the bound RDS secrets.
  const rdsSecrets = bindings.flatMap((b) => ("secretArn" in b.password ? [b.password.secretArn] : []));
  const irsa = role(
    "workload-role",
    irsaTrust(
      out.oidcProviderArn as pulumi.Input<string>,
      out.oidcIssuer as pulumi.Input<string>,
      namespace,
      name,
    ),
    { inline: rdsSecrets.length > 0 ? { "read-database-secrets": readSecretsPolicy(rdsSecrets) } : {}, tags },
  );
  const access = databaseAccess(objects, bindings, {
    clusterSecurityGroupId: out.clusterSecurityGroupId as pulumi.Input<string>,
  });
  const { deployment, service } = containerObjects(objects, spec, access, {
    "eks.amazonaws.com/role-arn": irsa.role.arn,
  });
  const url = albIngress(objects, spec, service.metadata.name);
  return {
    serviceName: service.metadata.name,
    roleArn: irsa.role.arn,
    url,
    namespace: pulumi.output(namespace),
    serviceDnsName: pulumi.interpolate`${service.metadata.name}.${namespace}.svc.cluster.local`,
    readyReplicas: readyReplicas(deployment),
  };
}
