// A kind for benchmarks only: N component resources and nothing else, so that a run is mostly
// engine events (two or more per resource) and no provider work. It exists to measure what storing
// those events costs (bench figure 6); it is registered only where GANTRY_BENCH_KINDS=true
// (see registryFor in registry.ts), never in a normal deployment.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { defineKind } from "../../kind.ts";

/** An empty component: the engine records it (events, state) and calls no provider. */
class Item extends pulumi.ComponentResource {
  constructor(name: string) {
    super("gantry:bench:Item", name, {}, {});
    this.registerOutputs({});
  }
}

const spec = z
  .strictObject({
    resources: z
      .int()
      .min(1)
      .max(1000)
      .default(200)
      .describe("How many resources the stack holds (each one a component with no provider).")
      .meta({ examples: [200] }),
  })
  .describe("Benchmarks only: a stack of N empty component resources.")
  .meta({ examples: [{ resources: 200 }] });

export const benchFanout = defineKind({
  name: "bench-fanout",
  title: "Benchmark fan-out (benchmarks only)",
  description: "N empty component resources: a run that is mostly engine events. For the benchmark harness.",
  specSchema: spec,
  dependsOn: [],
  outputs: [{ name: "resources", description: "How many resources the stack holds.", secret: false }],
  engineEnv: () => ({}),
  async program({ spec }) {
    for (let i = 0; i < spec.resources; i++) {
      new Item(`item-${i}`);
    }
    return { resources: spec.resources };
  },
});

export const BENCH_KINDS = [benchFanout] as const;
