// Stacks the AWS kinds' tests depend on, as their outputs would read.
import type { MockDependency } from "./program-mocks.ts";

/** A three-zone network stack named "net". */
export const NETWORK = {
  name: "net",
  kind: "network",
  outputs: {
    vpcId: "vpc-0123",
    vpcCidrBlock: "10.0.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  },
} satisfies MockDependency;
