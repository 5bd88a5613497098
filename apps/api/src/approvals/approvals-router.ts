// POST /v1/operations/:id/approve and /reject: an admin other than the requester decides an
// operation that waits with its previewed plan (README, Approvals). Answers the operation.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import { toOperationView } from "../operations/operation-view.ts";
import { Operation } from "../operations/operations-schemas.ts";
import type { ApprovalsService, Decision } from "./approvals-service.ts";

const DecisionBody = z.strictObject({
  comment: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe("Why: kept with the operation's approval and shown with it."),
});

export const approvalsRouter: FastifyPluginAsyncZod<{ approvals: ApprovalsService }> = async (
  app,
  { approvals },
) => {
  const route = (decision: Decision, summary: string) =>
    app.post(
      `/v1/operations/:id/${decision}`,
      {
        config: { access: "admin", audit: `operation.${decision}` },
        schema: {
          tags: ["operations"],
          summary,
          params: IdParams,
          body: DecisionBody,
          response: { 200: Operation, ...authErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) =>
        toOperationView(
          await approvals.decide(callerOf(request), request.params.id, decision, request.body.comment),
        ),
    );
  route("approve", "Approve the stored plan of an operation awaiting approval; it is applied exactly");
  route("reject", "Reject an operation awaiting approval; it ends cancelled");
};
