// bench-fanout apart from its program (index.ts): benchmarks only (see index.ts).
import { z } from "zod";
import { defineKindSpec } from "../../kind-spec.ts";

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

export const benchFanoutDefinition = defineKindSpec({
  name: "bench-fanout",
  title: "Benchmark fan-out (benchmarks only)",
  description: "N empty component resources: a run that is mostly engine events. For the benchmark harness.",
  specSchema: spec,
  dependsOn: [],
  outputs: [{ name: "resources", description: "How many resources the stack holds.", secret: false }],
  engineEnv: () => ({}),
});
