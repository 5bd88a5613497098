// The network kind: its spec as the API sees it, its subnet layout, and what its program asks AWS
// for (under Pulumi's mocks: AWS cannot be reached from tests).
import { describe, expect, it } from "vitest";
import { getKind, parseSpec } from "../src/index.ts";
import { subnetLayout } from "../src/kinds/network/subnets.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { runProgram, ZONES } from "./support/program-mocks.ts";

const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const EIP = "aws:ec2/eip:Eip";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

describe("network spec", () => {
  it("fills in defaults", () => {
    expect(parseSpec("network", {})).toEqual({
      ok: true,
      spec: { cidrBlock: "10.0.0.0/16", availabilityZones: 3, natGateways: "onePerAz" },
    });
  });

  it("accepts /16 to /20 blocks, 2 to 6 zones and a single NAT gateway", () => {
    expect(
      parseSpec("network", { cidrBlock: "172.20.16.0/20", availabilityZones: 6, natGateways: "single" }),
    ).toEqual({
      ok: true,
      spec: { cidrBlock: "172.20.16.0/20", availabilityZones: 6, natGateways: "single" },
    });
    expect(parseSpec("network", { availabilityZones: 2 }).ok).toBe(true);
  });

  it.each([
    [{ cidrBlock: "10.0.0.0" }, "cidrBlock", "must be an IPv4 CIDR block such as 10.0.0.0/16"],
    [{ cidrBlock: "10.0.256.0/16" }, "cidrBlock", "must be an IPv4 CIDR block such as 10.0.0.0/16"],
    [{ cidrBlock: "fd00::/16" }, "cidrBlock", "must be an IPv4 CIDR block such as 10.0.0.0/16"],
    [{ cidrBlock: "10.0.0.0/15" }, "cidrBlock", "must have a prefix length from /16 to /20"],
    [{ cidrBlock: "10.0.0.0/21" }, "cidrBlock", "must have a prefix length from /16 to /20"],
    [{ cidrBlock: "10.0.1.0/16" }, "cidrBlock", "must start at its network address (10.0.0.0/16)"],
    [{ cidrBlock: "10.0.8.0/20" }, "cidrBlock", "must start at its network address (10.0.0.0/20)"],
    [{ cidrBlock: 10 }, "cidrBlock", "must be a string"],
    [{ availabilityZones: 1 }, "availabilityZones", "must be at least 2"],
    [{ availabilityZones: 7 }, "availabilityZones", "must be at most 6"],
    [{ availabilityZones: 2.5 }, "availabilityZones", "must be a whole number"],
    [{ natGateways: "none" }, "natGateways", "must be one of: single, onePerAz"],
    [{ vpcId: "vpc-1" }, "vpcId", "is not a known field"],
    [null, "", "must be an object"],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec("network", input)).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("documents every field, at any depth, and parses its examples", () => {
    expectDocumentedSchema("network");
  });

  it("parses its own examples", () => {
    const schema = getKind("network")?.specSchema;
    const examples = (schema?.meta()?.examples ?? []) as unknown[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(parseSpec("network", example).ok).toBe(true);
    const shape = (schema as unknown as { shape: Record<string, { meta(): { examples?: unknown[] } }> })
      .shape;
    for (const [field, fieldSchema] of Object.entries(shape)) {
      for (const example of fieldSchema.meta()?.examples ?? [])
        expect(parseSpec("network", { [field]: example }).ok, `${field}: ${example}`).toBe(true);
    }
  });
});

describe("network subnet layout", () => {
  it("carves private eighths and public sixty-fourths from a /16", () => {
    expect(subnetLayout("10.0.0.0/16", 3)).toEqual({
      private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
      public: ["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"],
    });
  });

  it("fits six zones in a /20 without overlap", () => {
    const layout = subnetLayout("172.20.16.0/20", 6);
    expect(layout.private).toEqual([
      "172.20.16.0/23",
      "172.20.18.0/23",
      "172.20.20.0/23",
      "172.20.22.0/23",
      "172.20.24.0/23",
      "172.20.26.0/23",
    ]);
    expect(layout.public).toEqual([
      "172.20.28.0/26",
      "172.20.28.64/26",
      "172.20.28.128/26",
      "172.20.28.192/26",
      "172.20.29.0/26",
      "172.20.29.64/26",
    ]);
  });

  it("keeps existing subnets where they are when a zone is added", () => {
    const two = subnetLayout("10.1.0.0/16", 2);
    const three = subnetLayout("10.1.0.0/16", 3);
    expect(three.private.slice(0, 2)).toEqual(two.private);
    expect(three.public.slice(0, 2)).toEqual(two.public);
  });

  it("refuses what it has no room for", () => {
    expect(() => subnetLayout("10.0.0.0/16", 7)).toThrow("1 to 6 zones");
    expect(() => subnetLayout("nope", 2)).toThrow("not an IPv4 CIDR block");
  });
});

describe("network program", () => {
  it("puts one public and one private subnet in each of the first N zones, with ELB tags", async () => {
    const run = await runProgram("network", { availabilityZones: 3 });
    const subnets = run.ofType(SUBNET);
    const publicSubnets = subnets.filter((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1");
    const privateSubnets = subnets.filter((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1");
    expect(subnets).toHaveLength(6);
    expect(publicSubnets.map((s) => s.inputs.availabilityZone)).toEqual(ZONES.slice(0, 3));
    expect(privateSubnets.map((s) => s.inputs.availabilityZone)).toEqual(ZONES.slice(0, 3));
    expect(publicSubnets.map((s) => s.inputs.cidrBlock)).toEqual(subnetLayout("10.0.0.0/16", 3).public);
    expect(privateSubnets.map((s) => s.inputs.cidrBlock)).toEqual(subnetLayout("10.0.0.0/16", 3).private);
    for (const subnet of subnets) expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
    // Each subnet is associated with a route table.
    const associated = run.ofType(ASSOCIATION).map((a) => a.inputs.subnetId);
    expect(associated.sort()).toEqual(subnets.map((s) => `${s.name}-id`).sort());
  });

  it("gives each zone its own NAT gateway and routes its private subnet through it", async () => {
    const run = await runProgram(
      "network",
      { availabilityZones: 3, natGateways: "onePerAz" },
      { state: (r) => (r.type === EIP ? { allocationId: `${r.name}-alloc` } : undefined) },
    );
    const nats = run.ofType(NAT);
    expect(nats).toHaveLength(3);
    expect(run.ofType(EIP)).toHaveLength(3);
    for (const [index, zone] of ZONES.slice(0, 3).entries()) {
      const nat = nats[index];
      expect(nat?.inputs.subnetId).toBe(`public-${zone}-id`);
      expect(nat?.inputs.allocationId).toBe(`nat-${zone}-alloc`);
      expect(privateDefaultRoute(run, zone)).toEqual({
        cidrBlock: "0.0.0.0/0",
        natGatewayId: `nat-${zone}-id`,
      });
    }
  });

  it("routes every private subnet through one NAT gateway when asked for a single one", async () => {
    const run = await runProgram("network", { availabilityZones: 3, natGateways: "single" });
    expect(run.one(NAT).inputs.subnetId).toBe(`public-${ZONES[0]}-id`);
    expect(run.ofType(EIP)).toHaveLength(1);
    for (const zone of ZONES.slice(0, 3))
      expect(privateDefaultRoute(run, zone)).toEqual({
        cidrBlock: "0.0.0.0/0",
        natGatewayId: `nat-${ZONES[0]}-id`,
      });
  });

  it("routes public subnets to the internet gateway", async () => {
    const run = await runProgram("network", {});
    const publicTable = run.ofType(ROUTE_TABLE).find((t) => t.name === "public");
    expect(publicTable?.inputs.routes).toEqual([
      { cidrBlock: "0.0.0.0/0", gatewayId: "internet-gateway-id" },
    ]);
    expect(run.one("aws:ec2/internetGateway:InternetGateway").inputs.vpcId).toBe("vpc-id");
  });

  it("creates a VPC with DNS and the stack's tags, and strips the default security group", async () => {
    const run = await runProgram(
      "network",
      { cidrBlock: "10.42.0.0/16" },
      { stack: { name: "core", teamName: "infra" } },
    );
    const vpc = run.one("aws:ec2/vpc:Vpc");
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.42.0.0/16",
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
    expect(vpc.inputs.tags).toMatchObject({
      "gantry:team": "infra",
      "gantry:stack": "core",
      "gantry:stack-id": "00000000-0000-4000-8000-000000000001",
      "gantry:kind": "network",
      "managed-by": "gantry",
    });
    const taggable = run.resources.filter((r) => r.type.startsWith("aws:ec2") && r.type !== ASSOCIATION);
    expect(taggable.length).toBeGreaterThan(10);
    for (const resource of taggable)
      expect(resource.inputs.tags?.["gantry:kind"], resource.name).toBe("network");
    const defaultGroup = run.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(defaultGroup.inputs.vpcId).toBe("vpc-id");
    expect(defaultGroup.inputs.ingress ?? []).toEqual([]);
    expect(defaultGroup.inputs.egress ?? []).toEqual([]);
  });

  it("outputs the VPC, zones and subnet IDs in zone order, none secret", async () => {
    const run = await runProgram("network", { cidrBlock: "10.9.0.0/16", availabilityZones: 2 });
    expect(run.outputs).toEqual({
      vpcId: "vpc-id",
      vpcCidrBlock: "10.9.0.0/16",
      availabilityZones: ZONES.slice(0, 2),
      publicSubnetIds: ZONES.slice(0, 2).map((zone) => `public-${zone}-id`),
      privateSubnetIds: ZONES.slice(0, 2).map((zone) => `private-${zone}-id`),
    });
    expect(run.secretOutputs).toEqual([]);
  });
});

describe("network program in a small region", () => {
  it("fails clearly when the region has fewer zones than asked for", async () => {
    const twoZones = (token: string) =>
      token === "aws:index/getAvailabilityZones:getAvailabilityZones"
        ? { names: ["eu-south-9a", "eu-south-9b"], zoneIds: ["eus9-az1", "eus9-az2"] }
        : undefined;
    await expect(runProgram("network", { availabilityZones: 3 }, { call: twoZones })).rejects.toThrow(
      "the network asks for 3 availability zones but the region has only 2 available (eu-south-9a, eu-south-9b)",
    );
    const run = await runProgram("network", { availabilityZones: 2 }, { call: twoZones });
    expect(run.outputs.availabilityZones).toEqual(["eu-south-9a", "eu-south-9b"]);
  });
});

/** The default route of the private route table associated with the zone's private subnet. */
function privateDefaultRoute(run: Awaited<ReturnType<typeof runProgram>>, zone: string): unknown {
  const subnet = run.ofType(SUBNET).find((s) => s.name === `private-${zone}`);
  const association = run.ofType(ASSOCIATION).find((a) => a.inputs.subnetId === `${subnet?.name}-id`);
  const table = run.ofType(ROUTE_TABLE).find((t) => `${t.name}-id` === association?.inputs.routeTableId);
  return table?.inputs.routes?.find((route: { cidrBlock?: string }) => route.cidrBlock === "0.0.0.0/0");
}
