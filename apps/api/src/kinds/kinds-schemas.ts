import { z } from "zod";

export const KindOutput = z.object({
  name: z.string(),
  description: z.string(),
  secret: z.boolean().describe("Secret outputs are shown as `[secret]` unless an admin asks to reveal them."),
});

export const Kind = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    dependsOn: z.array(z.string()).describe("Kinds a stack of this kind may depend on."),
    outputs: z.array(KindOutput),
    versions: z
      .array(z.object({ version: z.number().int(), changes: z.string() }))
      .describe("Blueprint versions, oldest first; new stacks get the last (README, Blueprint versions)."),
    specSchema: z
      .record(z.string(), z.unknown())
      .describe("JSON Schema of the spec, with defaults and examples."),
  })
  .meta({ id: "Kind" });

export const KindList = z.object({ kinds: z.array(Kind) });
