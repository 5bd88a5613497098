// The spec of a network stack: the VPC block, how many availability zones, how NAT is laid out.
import { z } from "zod";
import { formatCidr, MAX_ZONES, networkOf, parseCidr } from "./subnets.ts";

export const NAT_GATEWAY_LAYOUTS = ["single", "onePerAz"] as const;

const cidrBlock = z
  .string()
  .max(18)
  .superRefine((text, ctx) => {
    const cidr = parseCidr(text);
    if (!cidr) {
      ctx.addIssue({ code: "custom", message: "must be an IPv4 CIDR block such as 10.0.0.0/16" });
      return;
    }
    if (cidr.prefix < 16 || cidr.prefix > 20) {
      ctx.addIssue({ code: "custom", message: "must have a prefix length from /16 to /20" });
      return;
    }
    const network = networkOf(cidr);
    if (network.address !== cidr.address)
      ctx.addIssue({ code: "custom", message: `must start at its network address (${formatCidr(network)})` });
  });

export const networkSpec = z
  .strictObject({
    cidrBlock: cidrBlock
      .default("10.0.0.0/16")
      .describe(
        "IPv4 address range of the VPC, /16 to /20. Choose one that does not overlap networks you may " +
          "peer with or reach over VPN; it cannot be changed without replacing the network.",
      )
      .meta({ examples: ["10.0.0.0/16", "10.42.0.0/16", "172.20.0.0/20"] }),
    availabilityZones: z
      .int()
      .min(2)
      .max(MAX_ZONES)
      .default(3)
      .describe(
        "How many availability zones the network spans (the region's first ones); each gets one public " +
          "and one private subnet. Three survive the loss of a zone with capacity to spare.",
      )
      .meta({ examples: [3, 2] }),
    natGateways: z
      .enum(NAT_GATEWAY_LAYOUTS)
      .default("onePerAz")
      .describe(
        "NAT gateways giving private subnets outbound internet access. `onePerAz`: each zone keeps its " +
          "egress when another zone fails, and no cross-zone data charges; costs one gateway (hourly " +
          "plus per GB) per zone. `single`: one gateway for all zones, cheapest, but losing its zone cuts " +
          "every private subnet off the internet; fine for development.",
      )
      .meta({ examples: ["onePerAz", "single"] }),
  })
  .describe("A VPC with public and private subnets across availability zones, and NAT for the private ones.")
  .meta({
    examples: [
      {},
      { cidrBlock: "10.42.0.0/16", availabilityZones: 3, natGateways: "onePerAz" },
      { cidrBlock: "172.20.0.0/20", availabilityZones: 2, natGateways: "single" },
    ],
  });

export type NetworkSpec = z.output<typeof networkSpec>;
