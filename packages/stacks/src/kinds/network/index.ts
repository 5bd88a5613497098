// An AWS VPC for the other AWS kinds: public and private subnets in 2–6 availability zones, NAT for
// the private ones, subnet tags EKS and the AWS load balancer controller look for.
import { awsEngineEnv } from "../../aws/platform.ts";
import { defineKind } from "../../kind.ts";
import { buildNetwork, networkStackOutputs } from "./build.ts";
import { networkSpec } from "./spec.ts";

export const network = defineKind({
  name: "network",
  title: "AWS network (VPC)",
  description:
    "A VPC with one public and one private subnet per availability zone, an internet gateway, NAT " +
    "gateways (one, or one per zone) for the private subnets, and a default security group that " +
    "allows nothing. The network EKS clusters, ECS services and RDS databases are placed in.",
  specSchema: networkSpec,
  dependsOn: [],
  outputs: [
    { name: "vpcId", description: "ID of the VPC.", secret: false },
    { name: "vpcCidrBlock", description: "IPv4 range of the VPC.", secret: false },
    { name: "availabilityZones", description: "Availability zone names, in subnet order.", secret: false },
    {
      name: "publicSubnetIds",
      description: "Public subnet IDs, one per zone, in zone order.",
      secret: false,
    },
    {
      name: "privateSubnetIds",
      description: "Private subnet IDs, one per zone, in zone order.",
      secret: false,
    },
  ],

  /** The engine needs the AWS region and credential variables (see aws/platform.ts). */
  engineEnv: awsEngineEnv,
  cloud: "aws",

  async program(context) {
    return networkStackOutputs(await buildNetwork(context, context.spec, { kind: "network", prefix: "" }));
  },
});
