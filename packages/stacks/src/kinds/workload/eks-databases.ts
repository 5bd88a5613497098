// How bound databases reach a workload on EKS: pg-database passwords through a Kubernetes secret
// fed from the Pulumi secret, RDS through its secret's ARN (readable with the IRSA role), and a
// SecurityGroupPolicy so the pods join each RDS database's client security group.
import type * as pulumi from "@pulumi/pulumi";
import type { DatabaseBinding } from "./bindings.ts";
import type { WorkloadObjects } from "./eks-objects.ts";

export interface DatabaseAccess {
  /** Container variables with the databases' addresses. */
  plain: { name: string; value: pulumi.Output<string> }[];
  /** Container variables referring to the passwords. */
  references: (
    | { name: string; value: pulumi.Output<string> }
    | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }
  )[];
  /** Objects the pods need before they start. */
  dependsOn: pulumi.Resource[];
}

/**
 * `aws.clusterSecurityGroupId`: on EKS, pods join each RDS database's client security group (with
 * the cluster's); elsewhere there are no security groups to join.
 */
export function databaseAccess(
  objects: WorkloadObjects,
  bindings: DatabaseBinding[],
  aws?: { clusterSecurityGroupId: pulumi.Input<string> },
): DatabaseAccess {
  const { k8s, opts, name, labels, metadata } = objects;
  // pg-database passwords: a Kubernetes secret fed from the Pulumi secret, referenced by the pod.
  const stored = bindings.filter((b) => "value" in b.password);
  const passwords =
    stored.length > 0
      ? new k8s.core.v1.Secret(
          "database-passwords",
          {
            metadata: { ...metadata, name: `${name}-databases` },
            type: "Opaque",
            stringData: Object.fromEntries(
              stored.map((b) => [
                `${b.envPrefix}_PASSWORD`,
                (b.password as { value: pulumi.Output<string> }).value,
              ]),
            ),
          },
          opts,
        )
      : undefined;

  const plain = bindings.flatMap((b) =>
    Object.entries(b.environment).map(([key, value]) => ({ name: key, value })),
  );
  const references = bindings.map((b) =>
    "secretArn" in b.password
      ? { name: `${b.envPrefix}_SECRET_ARN`, value: b.password.secretArn }
      : {
          name: `${b.envPrefix}_PASSWORD`,
          valueFrom: { secretKeyRef: { name: `${name}-databases`, key: `${b.envPrefix}_PASSWORD` } },
        },
  );

  // RDS admits only its client security group: pods join it (with the cluster's, for DNS and nodes).
  const databaseGroups = bindings.flatMap((b) => (b.securityGroupId ? [b.securityGroupId] : []));
  const securityGroupPolicy =
    aws && databaseGroups.length > 0
      ? new k8s.apiextensions.CustomResource(
          "security-group-policy",
          {
            apiVersion: "vpcresources.k8s.aws/v1beta1",
            kind: "SecurityGroupPolicy",
            metadata,
            spec: {
              podSelector: { matchLabels: labels },
              securityGroups: { groupIds: [aws.clusterSecurityGroupId, ...databaseGroups] },
            },
          },
          opts,
        )
      : undefined;
  return {
    plain,
    references,
    dependsOn: [...(passwords ? [passwords] : []), ...(securityGroupPolicy ? [securityGroupPolicy] : [])],
  };
}
