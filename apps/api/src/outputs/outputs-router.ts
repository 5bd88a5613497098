// GET /v1/stacks/:id/outputs (`?reveal=true`: secret values, admins only)
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody } from "../http/common-schemas.ts";
import { Outputs, OutputsParams, OutputsQuery } from "./outputs-schemas.ts";
import type { OutputsService } from "./outputs-service.ts";

export const outputsRouter: FastifyPluginAsyncZod<{ outputs: OutputsService }> = async (app, { outputs }) => {
  app.get(
    "/v1/stacks/:id/outputs",
    {
      config: { access: "viewer", audit: "stack.reveal" },
      schema: {
        tags: ["stacks"],
        summary: "A stack's outputs; secret values only with `?reveal=true`, for admins",
        params: OutputsParams,
        querystring: OutputsQuery,
        response: { 200: Outputs, ...authErrors, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => outputs.get(callerOf(request), request.params.id, request.query.reveal),
  );
};
