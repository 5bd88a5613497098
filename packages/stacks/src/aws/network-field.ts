// The optional `network` spec field of the AWS kinds that can build their own network, and the
// dependency refusals that go with it: spec side only, apart from network-source.ts (Pulumi).
import type { SpecIssue } from "../issues.ts";
import { type NetworkSpec, networkSpec } from "../kinds/network/spec.ts";

/** The optional `network` field of a spec: a network spec for the network the stack builds itself. */
export const ownNetworkField = networkSpec
  .optional()
  .describe(
    "The network (VPC) this stack creates for itself when dependsOn names no network stack, as the " +
      "network kind's spec; defaults to the network kind's defaults. Leave out when a network stack " +
      "is in dependsOn: the stack is then placed in that network.",
  )
  .meta({ examples: [{ availabilityZones: 3, natGateways: "onePerAz" }] });

/**
 * Dependency refusals shared by the kinds with an optional network: at most one network stack, and
 * no `network` field when there is one.
 */
export function networkDependencyIssues(
  kind: string,
  spec: { network?: NetworkSpec | undefined },
  dependencies: readonly { name: string; kind: string }[],
): SpecIssue[] {
  const networks = dependencies.filter((dependency) => dependency.kind === "network");
  if (networks.length > 1)
    return [
      {
        path: "",
        message:
          `a ${kind} takes at most one network stack in dependsOn, not ${networks.length} ` +
          `(${networks.map((network) => network.name).join(", ")})`,
      },
    ];
  if (networks.length === 1 && spec.network !== undefined)
    return [
      {
        path: "network",
        message: `must be left out: the stack is placed in network stack "${networks[0]?.name}" from dependsOn`,
      },
    ];
  return [];
}
