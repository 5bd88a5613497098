// What placing a workload on either data plane yields: its outputs besides `target`.
import type * as pulumi from "@pulumi/pulumi";

export interface PlacedWorkload {
  serviceName: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  url: pulumi.Output<string>;
}
