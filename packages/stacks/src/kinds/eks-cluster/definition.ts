// eks-cluster apart from its program (index.ts): spec, outputs, contract, refusals, engine environment.
import { networkDependencyIssues } from "../../aws/network-field.ts";
import { awsEngineEnv } from "../../aws/platform.ts";
import { clusterContract } from "../../contracts/cluster-contract.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import { eksClusterChangeIssues, eksClusterSpec } from "./spec.ts";

const KIND = "eks-cluster";

export const eksClusterDefinition = defineKindSpec({
  name: KIND,
  title: "EKS cluster",
  description:
    "An Amazon EKS cluster: pinned Kubernetes version, private API endpoint, KMS-encrypted secrets, " +
    "control-plane logs, access entries for the team's roles, IRSA and Pod Identity, pinned managed " +
    "add-ons, metrics-server, and managed node groups (one per zone), Auto Mode or Fargate. In a network stack, or in " +
    "a network of its own.",
  specSchema: eksClusterSpec,
  dependsOn: ["network"],
  outputs: [
    { name: "clusterName", description: "Name of the EKS cluster.", secret: false },
    { name: "endpoint", description: "URL of the Kubernetes API server.", secret: false },
    { name: "certificateAuthority", description: "Base64 CA certificate of the API server.", secret: false },
    { name: "oidcIssuer", description: "OIDC issuer URL of the cluster (IRSA).", secret: false },
    { name: "oidcProviderArn", description: "ARN of the IAM OIDC provider for IRSA roles.", secret: false },
    {
      name: "kubernetesVersion",
      description: "Kubernetes minor version of the control plane.",
      secret: false,
    },
    {
      name: "clusterSecurityGroupId",
      description: "Security group EKS gives the control plane and nodes.",
      secret: false,
    },
    { name: "vpcId", description: "VPC the cluster is in.", secret: false },
    { name: "vpcCidrBlock", description: "IPv4 range of the cluster's VPC.", secret: false },
    { name: "availabilityZones", description: "Zones of the cluster's subnets.", secret: false },
    {
      name: "zones",
      description: "Zones nodes run in (cluster contract): the subnets' zones.",
      secret: false,
    },
    {
      name: "privateSubnetIds",
      description: "Private subnets of the cluster, in zone order.",
      secret: false,
    },
    {
      name: "publicSubnetIds",
      description: "Public subnets (load balancers), in zone order.",
      secret: false,
    },
    {
      name: "kubeconfig",
      description: "kubeconfig (JSON) that authenticates with `aws eks get-token`.",
      secret: true,
    },
  ],

  contracts: [clusterContract],
  validateChange: eksClusterChangeIssues,
  validateDependencies: (spec, dependencies) => networkDependencyIssues(KIND, spec, dependencies),

  /** The engine needs AWS_REGION and the AWS SDK credential variables (see aws/platform.ts). */
  engineEnv: awsEngineEnv,
  cloud: "aws",
});
