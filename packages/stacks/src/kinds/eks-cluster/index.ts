// An Amazon EKS cluster built from @pulumi/aws resources (aws.eks.Cluster, NodeGroup, Addon,
// AccessEntry, iam.OpenIdConnectProvider, ec2.LaunchTemplate, kms.Key…), not @pulumi/eks: eks ≥ 3
// is a remote component whose logic lives in a provider plugin, so under Pulumi's mocks (the only
// way to test AWS programs here) an eks.Cluster is one opaque resource and none of the properties
// that make the cluster production grade could be asserted; its plugin cannot be had offline
// either. Building the parts directly also keeps each decision (one node group per zone, IMDSv2
// hop limit 1, pinned add-ons) visible in one place.
import * as aws from "@pulumi/aws";
import type { CreatedRole } from "../../aws/iam.ts";
import { resolveNetwork } from "../../aws/network-source.ts";
import { awsName, stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { accessEntries, autoModeNodeAccess } from "./access.ts";
import { metricsServer, networkingAddons, workloadAddons } from "./addons.ts";
import { fargateProfile, nodeGroups } from "./compute.ts";
import { eksClusterDefinition } from "./definition.ts";
import { kubeconfig } from "./kubeconfig.ts";
import { clusterRole, cniRole, ebsCsiRole, fargateRole, nodeRole } from "./roles.ts";
import { LOG_TYPES } from "./spec.ts";

const KIND = "eks-cluster";

export const eksCluster = defineKind({
  ...eksClusterDefinition,

  async program(context) {
    const { spec } = context;
    const tags = stackTags(context, KIND);
    const network = await resolveNetwork(context, KIND);
    const name = awsName(context.physicalName);
    const mode = spec.compute.mode;

    const key = new aws.kms.Key("secrets-key", {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    });
    new aws.kms.Alias("secrets-key", { name: `alias/${name}-secrets`, targetKeyId: key.keyId });
    // Created before the cluster, so EKS writes into a group with a retention instead of its own.
    const logGroup = new aws.cloudwatch.LogGroup("control-plane-logs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: spec.logRetentionDays,
      tags,
    });
    const controlPlaneRole = clusterRole(mode, key, tags);
    const nodes = mode === "fargate" ? undefined : nodeRole(mode, tags);

    const cluster = new aws.eks.Cluster(
      "cluster",
      {
        name,
        version: spec.kubernetesVersion,
        roleArn: controlPlaneRole.role.arn,
        vpcConfig: {
          subnetIds: network.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: spec.publicAccessCidrs.length > 0,
          ...(spec.publicAccessCidrs.length > 0 ? { publicAccessCidrs: spec.publicAccessCidrs } : {}),
        },
        // Access entries only (set at creation, one-way); Gantry's identity is admin so it can
        // deploy workloads with the kubeconfig output.
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        // Add-ons are EKS-managed at pinned versions (addons.ts), not left as unmanaged defaults.
        bootstrapSelfManagedAddons: false,
        enabledClusterLogTypes: [...LOG_TYPES],
        encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
        // Standard support only: extended support is billed at six times the price, silently.
        upgradePolicy: { supportType: "STANDARD" },
        deletionProtection: spec.deletionProtection,
        ...(spec.compute.mode === "autoMode" && nodes
          ? {
              computeConfig: {
                enabled: true,
                nodePools: spec.compute.nodePools,
                nodeRoleArn: nodes.role.arn,
              },
              kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
              storageConfig: { blockStorage: { enabled: true } },
            }
          : {}),
        tags,
      },
      { dependsOn: [logGroup, ...controlPlaneRole.grants] },
    );

    const issuer = cluster.identities.apply((identities) => identities[0]?.oidcs?.[0]?.issuer ?? "");
    const oidcProvider = new aws.iam.OpenIdConnectProvider("oidc", {
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      tags,
    });
    accessEntries(cluster.name, spec.accessEntries, tags);

    const addonContext = { clusterName: cluster.name, version: spec.kubernetesVersion, tags };
    const compute = spec.compute;
    if (compute.mode === "autoMode") {
      const nodeAccess = autoModeNodeAccess(cluster.name, (nodes as CreatedRole).role.arn, tags);
      metricsServer(addonContext, [nodeAccess]);
    } else if (compute.mode === "fargate") {
      const networking = networkingAddons(addonContext, mode, cniRole(oidcProvider.arn, issuer, tags));
      const profile = fargateProfile({
        spec: compute,
        clusterName: cluster.name,
        podExecutionRoleArn: fargateRole(tags).role.arn,
        network,
        tags,
        dependsOn: networking,
      });
      workloadAddons(addonContext, mode, undefined, [profile]);
    } else {
      const networking = networkingAddons(addonContext, mode, cniRole(oidcProvider.arn, issuer, tags));
      const groups = nodeGroups({
        spec: compute,
        kubernetesVersion: spec.kubernetesVersion,
        clusterName: cluster.name,
        nodeRoleArn: (nodes as CreatedRole).role.arn,
        network,
        tags,
        dependsOn: [...(nodes as CreatedRole).grants, ...networking],
      });
      workloadAddons(addonContext, mode, ebsCsiRole(tags), groups);
    }

    const region = aws.getRegionOutput().region;
    return {
      clusterName: cluster.name,
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority.data,
      oidcIssuer: issuer,
      oidcProviderArn: oidcProvider.arn,
      kubernetesVersion: cluster.version,
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      vpcId: network.vpcId,
      vpcCidrBlock: network.vpcCidrBlock,
      availabilityZones: network.zones,
      zones: network.zones,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      kubeconfig: kubeconfig(cluster.name, cluster.endpoint, cluster.certificateAuthority.data, region),
    };
  },
});
