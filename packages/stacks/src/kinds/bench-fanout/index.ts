// A kind for benchmarks only: N component resources and nothing else, so that a run is mostly
// engine events (two or more per resource) and no provider work. It exists to measure what storing
// those events costs (bench figure 6); it is registered only where GANTRY_BENCH_KINDS=true
// (see registryFor in registry.ts), never in a normal deployment.
import * as pulumi from "@pulumi/pulumi";
import { defineKind } from "../../kind.ts";
import { benchFanoutDefinition } from "./definition.ts";

/** An empty component: the engine records it (events, state) and calls no provider. */
class Item extends pulumi.ComponentResource {
  constructor(name: string) {
    super("gantry:bench:Item", name, {}, {});
    this.registerOutputs({});
  }
}

export const benchFanout = defineKind({
  ...benchFanoutDefinition,

  async program({ spec }) {
    for (let i = 0; i < spec.resources; i++) {
      new Item(`item-${i}`);
    }
    return { resources: spec.resources };
  },
});

export const BENCH_KINDS = [benchFanout] as const;
