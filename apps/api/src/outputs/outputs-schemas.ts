import { z } from "zod";
import { IdParams } from "../http/common-schemas.ts";

export const OutputsParams = IdParams;

export const OutputsQuery = z.strictObject({
  reveal: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .describe("`true` shows secret values (admins only; every reveal is logged)."),
});

export const Outputs = z
  .object({
    stackId: z.string(),
    outputs: z
      .record(z.string(), z.unknown())
      .describe('Output values; secrets are "[secret]" unless revealed.'),
    secretOutputs: z.array(z.string()).describe("Names of the outputs that are secret."),
    revealed: z.boolean(),
  })
  .meta({ id: "Outputs" });
export type OutputsView = z.output<typeof Outputs>;
