// GET /v1/operations/:id
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import type { DriftRequests } from "../drift/drift-requests.ts";
import { RequestOperationBody } from "../drift/drift-schemas.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import { toOperationView } from "./operation-view.ts";
import { Operation } from "./operations-schemas.ts";
import type { OperationsService } from "./operations-service.ts";

export const operationsRouter: FastifyPluginAsyncZod<{
  operations: OperationsService;
  driftRequests: DriftRequests;
}> = async (app, { operations, driftRequests }) => {
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

  // Minimal version for drift (issue 5): drift-check (operator) and remediate (admin, checked in
  // the service); the full route with every kind comes with issue 4.
  app.post(
    "/v1/stacks/:id/operations",
    {
      config: { access: "operator" },
      schema: {
        tags: ["operations"],
        summary: "Queue an operation on a stack: `drift-check`, or `remediate` (admin)",
        params: IdParams,
        body: RequestOperationBody,
        response: { 202: Operation, ...authErrors, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          toOperationView(
            await driftRequests.request(callerOf(request), request.params.id, request.body.kind),
          ),
        ),
  );
};
