// GET /v1/kinds: what can be provisioned, with each kind's spec schema for self-service forms.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { authErrors } from "../http/common-schemas.ts";
import type { KindRegistry } from "./kind-registry.ts";
import { KindList } from "./kinds-schemas.ts";

export const kindsRouter: FastifyPluginAsyncZod<{ kinds: Pick<KindRegistry, "listKinds"> }> = async (
  app,
  { kinds },
) => {
  app.get(
    "/v1/kinds",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["kinds"],
        summary: "List the kinds of stack Gantry offers",
        response: { 200: KindList, ...authErrors },
      },
    },
    async () => ({
      kinds: [...kinds.listKinds()].map((kind) => ({
        ...kind,
        dependsOn: [...kind.dependsOn],
        outputs: [...kind.outputs],
        versions: [...(kind.versions ?? [{ version: 1, changes: "The first version." }])],
      })),
    }),
  );
};
