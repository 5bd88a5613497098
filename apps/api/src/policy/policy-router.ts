// GET /v1/policy: the active platform policy and which kinds each rule applies to, for admins.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { authErrors } from "../http/common-schemas.ts";
import type { PolicyChecker } from "./policy-check.ts";
import { PlatformPolicy } from "./policy-schema.ts";

const PolicyView = z.object({
  policy: PlatformPolicy.describe("The rules in force; an absent rule is not enforced."),
  coverage: z
    .record(z.string(), z.array(z.string()))
    .describe("For each rule, the kinds whose specs it reads; other kinds are not checked for it."),
});

export const policyRouter: FastifyPluginAsyncZod<{
  policy: Pick<PolicyChecker, "policy" | "coverage">;
}> = async (app, { policy }) => {
  app.get(
    "/v1/policy",
    {
      config: { access: "admin" },
      schema: {
        tags: ["policy"],
        summary: "The platform policy every submitted spec must respect",
        response: { 200: PolicyView, ...authErrors },
      },
    },
    async () => ({ policy: policy.policy, coverage: policy.coverage() }),
  );
};
