// network apart from its program (index.ts): spec, outputs and engine environment.
import { awsEngineEnv } from "../../aws/platform.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import { networkSpec } from "./spec.ts";

export const networkDefinition = defineKindSpec({
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
});
