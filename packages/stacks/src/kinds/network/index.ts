// An AWS VPC for the other AWS kinds: public and private subnets in 2–6 availability zones, NAT for
// the private ones, subnet tags EKS and the AWS load balancer controller look for.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsEngineEnv } from "../../aws/platform.ts";
import { stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { networkSpec } from "./spec.ts";
import { subnetLayout } from "./subnets.ts";

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

  async program(context) {
    const { spec, physicalName } = context;
    const tags = (name: string, extra: Record<string, string> = {}) => ({
      ...stackTags(context, "network"),
      Name: `${physicalName}-${name}`,
      ...extra,
    });

    // Only regular zones: Local Zones and Wavelength Zones cannot host NAT gateways or EKS nodes.
    const available = await aws.getAvailabilityZones({
      state: "available",
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    const zones = available.names.slice(0, spec.availabilityZones);
    if (zones.length < spec.availabilityZones)
      throw new Error(
        `the network asks for ${spec.availabilityZones} availability zones but the region has only ` +
          `${available.names.length} available (${available.names.join(", ") || "none"})`,
      );
    const layout = subnetLayout(spec.cidrBlock, zones.length);

    const vpc = new aws.ec2.Vpc("vpc", {
      cidrBlock: spec.cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags("vpc"),
    });
    // Adopting the default security group strips its rules: nothing can fall back on it.
    new aws.ec2.DefaultSecurityGroup("default-security-group", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: tags("default"),
    });
    const gateway = new aws.ec2.InternetGateway("internet-gateway", { vpcId: vpc.id, tags: tags("igw") });

    const publicRoutes = new aws.ec2.RouteTable("public", {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
      tags: tags("public"),
    });

    const publicSubnets = zones.map((zone, index) => {
      const subnet = new aws.ec2.Subnet(`public-${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: layout.public[index] as string,
        mapPublicIpOnLaunch: false,
        tags: tags(`public-${zone}`, { "kubernetes.io/role/elb": "1" }),
      });
      new aws.ec2.RouteTableAssociation(`public-${zone}`, {
        subnetId: subnet.id,
        routeTableId: publicRoutes.id,
      });
      return subnet;
    });

    const natZones = spec.natGateways === "single" ? zones.slice(0, 1) : zones;
    const natGateways = natZones.map((zone, index) => {
      const address = new aws.ec2.Eip(`nat-${zone}`, { domain: "vpc", tags: tags(`nat-${zone}`) });
      return new aws.ec2.NatGateway(
        `nat-${zone}`,
        {
          allocationId: address.allocationId,
          subnetId: (publicSubnets[index] as aws.ec2.Subnet).id,
          connectivityType: "public",
          tags: tags(`nat-${zone}`),
        },
        { dependsOn: [gateway] },
      );
    });

    const privateSubnets = zones.map((zone, index) => {
      const subnet = new aws.ec2.Subnet(`private-${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: layout.private[index] as string,
        mapPublicIpOnLaunch: false,
        tags: tags(`private-${zone}`, { "kubernetes.io/role/internal-elb": "1" }),
      });
      const nat = (natGateways[index] ?? natGateways[0]) as aws.ec2.NatGateway;
      const routes = new aws.ec2.RouteTable(`private-${zone}`, {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: tags(`private-${zone}`),
      });
      new aws.ec2.RouteTableAssociation(`private-${zone}`, { subnetId: subnet.id, routeTableId: routes.id });
      return subnet;
    });

    return {
      vpcId: vpc.id,
      vpcCidrBlock: vpc.cidrBlock,
      availabilityZones: zones,
      publicSubnetIds: pulumi.all(publicSubnets.map((subnet) => subnet.id)),
      privateSubnetIds: pulumi.all(privateSubnets.map((subnet) => subnet.id)),
    };
  },
});
