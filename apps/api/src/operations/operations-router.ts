// GET /v1/operations/:id
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import { toOperationView } from "./operation-view.ts";
import { Operation } from "./operations-schemas.ts";
import type { OperationsService } from "./operations-service.ts";

export const operationsRouter: FastifyPluginAsyncZod<{ operations: OperationsService }> = async (
  app,
  { operations },
) => {
  app.get(
    "/v1/operations/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["operations"],
        summary: "One operation: status, timestamps, change summary, error",
        params: IdParams,
        response: { 200: Operation, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => toOperationView(await operations.get(callerOf(request), request.params.id)),
  );
};
