// An AWS VPC for the other AWS kinds: public and private subnets in 2–6 availability zones, NAT for
// the private ones, subnet tags EKS and the AWS load balancer controller look for.
import { defineKind } from "../../kind.ts";
import { buildNetwork, networkStackOutputs } from "./build.ts";
import { networkDefinition } from "./definition.ts";

export const network = defineKind({
  ...networkDefinition,

  async program(context) {
    return networkStackOutputs(await buildNetwork(context, context.spec, { kind: "network", prefix: "" }));
  },
});
