// Who may use an EKS cluster: access entries (authentication mode API; no aws-auth ConfigMap) for
// the team's roles, each with an EKS access policy, cluster-wide or limited to namespaces.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterSpec } from "./spec.ts";

const POLICY = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
} as const;

export const accessPolicyArn = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;

/** Resource name of an entry: the role's name, so reordering the list changes nothing. */
export const accessName = (principalArn: string): string =>
  `access-${(principalArn.split("/").at(-1) ?? principalArn).toLowerCase()}`;

export function accessEntries(
  clusterName: pulumi.Input<string>,
  entries: EksClusterSpec["accessEntries"],
  tags: Record<string, string>,
): void {
  for (const entry of entries) {
    const name = accessName(entry.principalArn);
    const created = new aws.eks.AccessEntry(name, {
      clusterName,
      principalArn: entry.principalArn,
      type: "STANDARD",
      tags,
    });
    new aws.eks.AccessPolicyAssociation(
      name,
      {
        clusterName,
        principalArn: entry.principalArn,
        policyArn: accessPolicyArn(POLICY[entry.access]),
        accessScope: entry.namespaces
          ? { type: "namespace", namespaces: entry.namespaces }
          : { type: "cluster" },
      },
      { dependsOn: [created] },
    );
  }
}

/** Auto Mode's nodes join through an EC2 access entry with the Auto Mode node policy. */
export function autoModeNodeAccess(
  clusterName: pulumi.Input<string>,
  nodeRoleArn: pulumi.Input<string>,
  tags: Record<string, string>,
): pulumi.Resource {
  const entry = new aws.eks.AccessEntry("auto-mode-nodes", {
    clusterName,
    principalArn: nodeRoleArn,
    type: "EC2",
    tags,
  });
  return new aws.eks.AccessPolicyAssociation(
    "auto-mode-nodes",
    {
      clusterName,
      principalArn: nodeRoleArn,
      policyArn: accessPolicyArn("AmazonEKSAutoNodePolicy"),
      accessScope: { type: "cluster" },
    },
    { dependsOn: [entry] },
  );
}
