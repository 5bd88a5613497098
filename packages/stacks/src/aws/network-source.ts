// Where an AWS kind's network comes from: the network stack in its dependsOn, or, when there is
// none, a network of its own built by the network kind's builder from the spec's `network` field.
// One place, so eks-cluster and ecs-service behave alike.
import * as pulumi from "@pulumi/pulumi";
import { dependenciesOfKind } from "../dependencies.ts";
import type { ProgramContext } from "../kind.ts";
import { buildNetwork, type NetworkOutputs } from "../kinds/network/build.ts";
import { type NetworkSpec, networkSpec } from "../kinds/network/spec.ts";

/**
 * The network as another stack provides it: a network stack, or an eks-cluster (which outputs its
 * network the same way). Fails clearly when the stack has not produced its outputs yet.
 */
export function networkFromOutputs(name: string, outputs: Record<string, unknown>): NetworkOutputs {
  const list = (output: string): string[] => {
    const value = outputs[output];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
      throw new Error(`stack "${name}" has no ${output} output; run an up on it first`);
    return value;
  };
  const text = (output: string): string => {
    const value = outputs[output];
    if (typeof value !== "string" || value === "")
      throw new Error(`stack "${name}" has no ${output} output; run an up on it first`);
    return value;
  };
  const zones = list("availabilityZones");
  const perZone = (output: string) => {
    const ids = list(output);
    if (ids.length !== zones.length)
      throw new Error(`stack "${name}" has ${ids.length} ${output} for ${zones.length} zones`);
    return ids.map((id) => pulumi.output(id));
  };
  return {
    vpcId: pulumi.output(text("vpcId")),
    vpcCidrBlock: pulumi.output(text("vpcCidrBlock")),
    zones,
    publicSubnetIds: perZone("publicSubnetIds"),
    privateSubnetIds: perZone("privateSubnetIds"),
  };
}

/** The stack's network: its network dependency's, or its own (resources named `network-…`). */
export async function resolveNetwork(
  context: Pick<
    ProgramContext<{ network?: NetworkSpec | undefined }>,
    "spec" | "stack" | "physicalName" | "dependencies"
  >,
  kind: string,
): Promise<NetworkOutputs> {
  const networks = dependenciesOfKind(context, "network");
  if (networks.length > 1) throw new Error(`a ${kind} takes at most one network stack in dependsOn`);
  const dependency = networks[0];
  if (dependency) return networkFromOutputs(dependency.name, dependency.outputs);
  const spec = context.spec.network ?? networkSpec.parse({});
  return buildNetwork(context, spec, { kind, prefix: "network-" });
}
