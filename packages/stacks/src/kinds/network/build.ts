// Builds a network (VPC, subnets, NAT, routes) into the current Pulumi program. The network kind is
// this and nothing else; eks-cluster and ecs-service call it for a network of their own when no
// network stack is among their dependencies (aws/network-source.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackTags } from "../../aws/tags.ts";
import type { ProgramContext } from "../../kind.ts";
import type { NetworkSpec } from "./spec.ts";
import { subnetLayout } from "./subnets.ts";

/**
 * What a network gives the stacks placed in it. Zones are plain values (known while the program
 * is built), so a stack can create one resource per zone; subnet IDs are in zone order.
 */
export interface NetworkOutputs {
  vpcId: pulumi.Output<string>;
  vpcCidrBlock: pulumi.Output<string>;
  zones: string[];
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
}

/** The network kind's stack outputs. */
export function networkStackOutputs(network: NetworkOutputs) {
  return {
    vpcId: network.vpcId,
    vpcCidrBlock: network.vpcCidrBlock,
    availabilityZones: network.zones,
    publicSubnetIds: pulumi.all(network.publicSubnetIds),
    privateSubnetIds: pulumi.all(network.privateSubnetIds),
  };
}

export interface BuildNetworkOptions {
  /** Kind whose stack owns the network, for its tags. */
  kind: string;
  /** Prefix of resource names, "" for the network kind (its resource names are its state). */
  prefix: string;
}

export async function buildNetwork(
  context: Pick<ProgramContext<unknown>, "stack" | "physicalName">,
  spec: NetworkSpec,
  { kind, prefix }: BuildNetworkOptions,
): Promise<NetworkOutputs> {
  const { physicalName } = context;
  const tags = (name: string, extra: Record<string, string> = {}) => ({
    ...stackTags(context, kind),
    Name: `${physicalName}-${name}`,
    ...extra,
  });
  const named = (name: string) => `${prefix}${name}`;

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

  const vpc = new aws.ec2.Vpc(named("vpc"), {
    cidrBlock: spec.cidrBlock,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: tags("vpc"),
  });
  // Adopting the default security group strips its rules: nothing can fall back on it.
  new aws.ec2.DefaultSecurityGroup(named("default-security-group"), {
    vpcId: vpc.id,
    ingress: [],
    egress: [],
    tags: tags("default"),
  });
  const gateway = new aws.ec2.InternetGateway(named("internet-gateway"), {
    vpcId: vpc.id,
    tags: tags("igw"),
  });

  const publicRoutes = new aws.ec2.RouteTable(named("public"), {
    vpcId: vpc.id,
    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
    tags: tags("public"),
  });

  const publicSubnets = zones.map((zone, index) => {
    const subnet = new aws.ec2.Subnet(named(`public-${zone}`), {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: layout.public[index] as string,
      mapPublicIpOnLaunch: false,
      tags: tags(`public-${zone}`, { "kubernetes.io/role/elb": "1" }),
    });
    new aws.ec2.RouteTableAssociation(named(`public-${zone}`), {
      subnetId: subnet.id,
      routeTableId: publicRoutes.id,
    });
    return subnet;
  });

  const natZones = spec.natGateways === "single" ? zones.slice(0, 1) : zones;
  const natGateways = natZones.map((zone, index) => {
    const address = new aws.ec2.Eip(named(`nat-${zone}`), { domain: "vpc", tags: tags(`nat-${zone}`) });
    return new aws.ec2.NatGateway(
      named(`nat-${zone}`),
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
    const subnet = new aws.ec2.Subnet(named(`private-${zone}`), {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: layout.private[index] as string,
      mapPublicIpOnLaunch: false,
      tags: tags(`private-${zone}`, { "kubernetes.io/role/internal-elb": "1" }),
    });
    const nat = (natGateways[index] ?? natGateways[0]) as aws.ec2.NatGateway;
    const routes = new aws.ec2.RouteTable(named(`private-${zone}`), {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
      tags: tags(`private-${zone}`),
    });
    new aws.ec2.RouteTableAssociation(named(`private-${zone}`), {
      subnetId: subnet.id,
      routeTableId: routes.id,
    });
    return subnet;
  });

  return {
    vpcId: vpc.id,
    vpcCidrBlock: vpc.cidrBlock,
    zones,
    publicSubnetIds: publicSubnets.map((subnet) => subnet.id),
    privateSubnetIds: privateSubnets.map((subnet) => subnet.id),
  };
}
