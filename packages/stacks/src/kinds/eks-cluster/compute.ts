// Where an EKS cluster's pods run. Managed node groups: one per availability zone, each in one
// private subnet, so a pod whose EBS volume sits in a zone always has nodes there to land on
// (a group spanning zones may scale up in the wrong one), with a launch template that enforces
// IMDSv2 with hop limit 1 (pods cannot borrow the node's role) and encrypted volumes. Fargate:
// one profile for kube-system and the spec's namespaces. Auto Mode needs nothing here.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs } from "../network/build.ts";
import type { EksClusterSpec } from "./spec.ts";

type NodeGroupsSpec = Extract<EksClusterSpec["compute"], { mode: "nodeGroups" }>;
type FargateSpec = Extract<EksClusterSpec["compute"], { mode: "fargate" }>;

const AMI_TYPES = {
  al2023: { x86_64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" },
  bottlerocket: { x86_64: "BOTTLEROCKET_x86_64", arm64: "BOTTLEROCKET_ARM_64" },
} as const;

/** Instance types when the spec names none. */
export const DEFAULT_INSTANCE_TYPES = { x86_64: ["m7i.large"], arm64: ["m7g.large"] } as const;

export interface NodeGroupsArgs {
  spec: NodeGroupsSpec;
  kubernetesVersion: string;
  clusterName: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  network: NetworkOutputs;
  tags: Record<string, string>;
  /** What must exist before nodes join: the node role's grants, the CNI and kube-proxy. */
  dependsOn: pulumi.Resource[];
}

export function nodeGroups(args: NodeGroupsArgs): aws.eks.NodeGroup[] {
  const { spec, tags } = args;
  // Bottlerocket keeps its OS on /dev/xvda and containers and images on the data volume /dev/xvdb.
  const deviceName = spec.amiFamily === "bottlerocket" ? "/dev/xvdb" : "/dev/xvda";
  const template = new aws.ec2.LaunchTemplate("nodes", {
    description: "EKS nodes: IMDSv2 only, hop limit 1, encrypted gp3 volume",
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    },
    blockDeviceMappings: [
      {
        deviceName,
        ebs: {
          volumeSize: spec.diskSizeGb,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
        },
      },
    ],
    tagSpecifications: [
      { resourceType: "instance", tags },
      { resourceType: "volume", tags },
    ],
    updateDefaultVersion: true,
    tags,
  });
  const instanceTypes = spec.instanceTypes ?? [...DEFAULT_INSTANCE_TYPES[spec.architecture]];
  return args.network.zones.map(
    (zone, index) =>
      new aws.eks.NodeGroup(
        `nodes-${zone}`,
        {
          clusterName: args.clusterName,
          nodeRoleArn: args.nodeRoleArn,
          subnetIds: [args.network.privateSubnetIds[index] as pulumi.Output<string>],
          // Node groups follow the control plane: the same minor version, upgraded after it.
          version: args.kubernetesVersion,
          amiType: AMI_TYPES[spec.amiFamily][spec.architecture],
          capacityType: spec.capacityType === "spot" ? "SPOT" : "ON_DEMAND",
          instanceTypes,
          scalingConfig: {
            minSize: spec.minPerZone,
            maxSize: spec.maxPerZone,
            desiredSize: Math.max(spec.minPerZone, 1),
          },
          updateConfig: { maxUnavailable: 1 },
          launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
          nodeRepairConfig: { enabled: true },
          labels: { "gantry.dev/capacity-type": spec.capacityType },
          tags,
        },
        // A cluster autoscaler (or a person) moves the desired size; Gantry keeps the bounds.
        { dependsOn: args.dependsOn, ignoreChanges: ["scalingConfig.desiredSize"] },
      ),
  );
}

export interface FargateArgs {
  spec: FargateSpec;
  clusterName: pulumi.Input<string>;
  podExecutionRoleArn: pulumi.Input<string>;
  network: NetworkOutputs;
  tags: Record<string, string>;
  dependsOn: pulumi.Resource[];
}

export function fargateProfile(args: FargateArgs): aws.eks.FargateProfile {
  const namespaces = ["kube-system", ...args.spec.namespaces.filter((name) => name !== "kube-system")];
  return new aws.eks.FargateProfile(
    "fargate",
    {
      clusterName: args.clusterName,
      podExecutionRoleArn: args.podExecutionRoleArn,
      // Fargate pods run only in private subnets.
      subnetIds: args.network.privateSubnetIds,
      selectors: namespaces.map((namespace) => ({ namespace })),
      tags: args.tags,
    },
    { dependsOn: args.dependsOn },
  );
}
