// IPv4 CIDR arithmetic for the network kind: parsing a VPC block and carving its subnets, as pure
// functions so the layout is unit-tested and never depends on the order AWS answers in.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  address: number;
  prefix: number;
}

/** Parses "a.b.c.d/n"; undefined when it is not an IPv4 CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return { address, prefix };
}

export function formatCidr({ address, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** The block with its host bits cleared: what "10.0.1.0/16" should have been written as. */
export function networkOf({ address, prefix }: Cidr): Cidr {
  const size = 2 ** (32 - prefix);
  return { address: Math.floor(address / size) * size, prefix };
}

/** The `index`-th block of prefix `prefix` inside `parent`. */
function nth(parent: Cidr, prefix: number, index: number): Cidr {
  return { address: parent.address + index * 2 ** (32 - prefix), prefix };
}

/** Most availability zones the layout below has room for. */
export const MAX_ZONES = 6;

/**
 * Subnets of a VPC for `zones` availability zones (at most 6), in zone order. The VPC is cut in
 * eighths: private subnets (where workloads and their pods' IPs live) take one eighth each, from
 * the start; public subnets (load balancers and NAT gateways only) share the seventh eighth, one
 * sixty-fourth each; the last eighth stays free for later. From a /16: private /19, public /22.
 * The layout depends only on the VPC block and the zone index, so adding a zone moves nothing.
 */
export function subnetLayout(vpc: string, zones: number): { public: string[]; private: string[] } {
  const block = parseCidr(vpc);
  if (!block) throw new Error(`"${vpc}" is not an IPv4 CIDR block`);
  if (!Number.isInteger(zones) || zones < 1 || zones > MAX_ZONES)
    throw new Error(`a network has room for 1 to ${MAX_ZONES} zones, not ${zones}`);
  const parent = networkOf(block);
  const privatePrefix = parent.prefix + 3;
  const publicPrefix = parent.prefix + 6;
  const publicArea = nth(parent, privatePrefix, 6);
  const indexes = [...Array(zones).keys()];
  return {
    private: indexes.map((i) => formatCidr(nth(parent, privatePrefix, i))),
    public: indexes.map((i) => formatCidr(nth(publicArea, publicPrefix, i))),
  };
}
