// The IAM roles of an EKS cluster: the control plane's, the nodes', Fargate's pod execution role,
// and the add-ons' (vpc-cni through IRSA, EBS CSI through Pod Identity). Least privilege: the CNI
// policy is on the CNI's own role, never on the nodes.
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type CreatedRole, irsaTrust, role, serviceTrust } from "../../aws/iam.ts";
import type { EksClusterSpec } from "./spec.ts";

/** Policies EKS Auto Mode needs on the cluster role to run nodes, storage, load balancers and networking. */
const AUTO_MODE_POLICIES = [
  "AmazonEKSComputePolicy",
  "AmazonEKSBlockStoragePolicy",
  "AmazonEKSLoadBalancingPolicy",
  "AmazonEKSNetworkingPolicy",
];

export function clusterRole(
  mode: EksClusterSpec["compute"]["mode"],
  key: aws.kms.Key,
  tags: Record<string, string>,
): CreatedRole {
  const auto = mode === "autoMode";
  return role(
    "cluster-role",
    // Auto Mode tags the sessions it opens for the nodes it launches.
    serviceTrust("eks.amazonaws.com", auto ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"]),
    {
      // The VPC resource controller attaches security groups to pods (workload database bindings).
      policies: [
        "AmazonEKSClusterPolicy",
        "AmazonEKSVPCResourceController",
        ...(auto ? AUTO_MODE_POLICIES : []),
      ],
      inline: { "secrets-encryption": kmsUsePolicy(key.arn) },
      tags,
    },
  );
}

/** Role of EC2 nodes (managed node groups, or Auto Mode's nodes). */
export function nodeRole(mode: EksClusterSpec["compute"]["mode"], tags: Record<string, string>): CreatedRole {
  const policies =
    mode === "autoMode"
      ? ["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"]
      : ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"];
  return role("node-role", serviceTrust("ec2.amazonaws.com"), { policies, tags });
}

export function fargateRole(tags: Record<string, string>): CreatedRole {
  return role("fargate-pod-role", serviceTrust("eks-fargate-pods.amazonaws.com"), {
    policies: ["AmazonEKSFargatePodExecutionRolePolicy"],
    tags,
  });
}

/** vpc-cni's role, assumed by the aws-node service account through the cluster's OIDC provider. */
export function cniRole(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuer: pulumi.Input<string>,
  tags: Record<string, string>,
): CreatedRole {
  return role("vpc-cni-role", irsaTrust(oidcProviderArn, oidcIssuer, "kube-system", "aws-node"), {
    policies: ["AmazonEKS_CNI_Policy"],
    tags,
  });
}

/** EBS CSI controller's role, assumed through EKS Pod Identity. */
export function ebsCsiRole(tags: Record<string, string>): CreatedRole {
  return role("ebs-csi-role", serviceTrust("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]), {
    policies: ["AmazonEBSCSIDriverPolicy"],
    tags,
  });
}

function kmsUsePolicy(keyArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(keyArn).apply((arn) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"],
          Resource: arn,
        },
      ],
    }),
  );
}
