// The managed add-ons of an EKS cluster, at the versions pinned for its Kubernetes version
// (versions.ts), so an upgrade of the control plane moves them along in the same run. Networking
// add-ons come before compute (nodes need the CNI to become Ready), CoreDNS and EBS CSI after it
// (their pods need somewhere to run). Auto Mode runs all of them itself except metrics-server.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksClusterSpec } from "./spec.ts";
import { ADDON_VERSIONS, type AddonName, type KubernetesVersion } from "./versions.ts";

interface AddonContext {
  clusterName: pulumi.Input<string>;
  version: KubernetesVersion;
  tags: Record<string, string>;
}

function addon(
  context: AddonContext,
  name: AddonName,
  extra: Omit<aws.eks.AddonArgs, "clusterName" | "addonName">,
  dependsOn: pulumi.Resource[],
): aws.eks.Addon {
  return new aws.eks.Addon(
    name,
    {
      clusterName: context.clusterName,
      addonName: name,
      addonVersion: ADDON_VERSIONS[context.version][name],
      // EKS-managed configuration wins over hand edits: the add-on is what the spec says.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: context.tags,
      ...extra,
    },
    { dependsOn },
  );
}

/** Add-ons nodes need before they can join: CNI (on its IRSA role), kube-proxy, the Pod Identity agent. */
export function networkingAddons(
  context: AddonContext,
  mode: EksClusterSpec["compute"]["mode"],
  cniRole: { role: aws.iam.Role; grants: pulumi.Resource[] },
): aws.eks.Addon[] {
  const addons = [
    addon(
      context,
      "vpc-cni",
      {
        serviceAccountRoleArn: cniRole.role.arn,
        // Network policies, and security groups for pods (workloads bound to an RDS database).
        configurationValues: JSON.stringify({
          enableNetworkPolicy: "true",
          env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
        }),
      },
      cniRole.grants,
    ),
    addon(context, "kube-proxy", {}, []),
  ];
  // The agent is a DaemonSet: Fargate has no nodes to run it (pods there use IRSA).
  if (mode === "nodeGroups") addons.push(addon(context, "eks-pod-identity-agent", {}, []));
  return addons;
}

/** Resource metrics for HPAs; in every mode (Auto Mode has none of its own), once compute exists. */
export function metricsServer(context: AddonContext, compute: pulumi.Resource[]): aws.eks.Addon {
  return addon(context, "metrics-server", {}, compute);
}

/** Add-ons that run as pods, once compute exists. */
export function workloadAddons(
  context: AddonContext,
  mode: EksClusterSpec["compute"]["mode"],
  ebsCsiRole: { role: aws.iam.Role; grants: pulumi.Resource[] } | undefined,
  compute: pulumi.Resource[],
): aws.eks.Addon[] {
  const coredns = addon(
    context,
    "coredns",
    mode === "fargate" ? { configurationValues: JSON.stringify({ computeType: "Fargate" }) } : {},
    compute,
  );
  const metrics = metricsServer(context, compute);
  if (!ebsCsiRole) return [coredns, metrics];
  const ebsCsi = addon(
    context,
    "aws-ebs-csi-driver",
    { podIdentityAssociations: [{ roleArn: ebsCsiRole.role.arn, serviceAccount: "ebs-csi-controller-sa" }] },
    [...compute, ...ebsCsiRole.grants],
  );
  return [coredns, metrics, ebsCsi];
}
