// Ephemeral stacks: POST /v1/stacks/:id/extend moves a stack's expiry; GET /v1/expiring is the
// fleet's view of what expires when (README, Ephemeral stacks).
import { STACK_STATUSES } from "@gantry/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody, IdParams, Timestamp } from "../http/common-schemas.ts";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import { toStackView } from "../stacks/stack-view.ts";
import { FutureTime, Stack, Ttl } from "../stacks/stacks-schemas.ts";
import type { ExpiryService } from "./expiry-service.ts";

const ExtendBody = z.union([
  z.strictObject({ ttl: Ttl.describe("Seconds from now.") }),
  z.strictObject({ expiresAt: FutureTime }),
]);

const ExpiringList = z.object({
  stacks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      status: z.enum(STACK_STATUSES),
      expiresAt: Timestamp,
      expiryBlockedReason: z.string().nullable(),
    }),
  ),
});

export const expiryRouter: FastifyPluginAsyncZod<{
  expiry: ExpiryService;
  kinds: Pick<KindRegistry, "getKind">;
}> = async (app, { expiry, kinds }) => {
  app.post(
    "/v1/stacks/:id/extend",
    {
      config: { access: "operator", audit: "stack.extend" },
      schema: {
        tags: ["stacks"],
        summary: "Give an ephemeral stack (or any stack) a new expiry: a ttl from now, or a time",
        params: IdParams,
        body: ExtendBody,
        response: { 200: Stack, ...authErrors, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const { body } = request;
      const expiresAt = "ttl" in body ? new Date(Date.now() + body.ttl * 1000) : body.expiresAt;
      return toStackView(await expiry.extend(callerOf(request), request.params.id, expiresAt), kinds);
    },
  );

  app.get(
    "/v1/expiring",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["stacks"],
        summary: "The team's stacks that expire, soonest first, with why an expired one still stands",
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: ExpiringList, ...authErrors },
      },
    },
    async (request) => {
      const rows = await expiry.expiring(callerOf(request), request.query.limit);
      return {
        stacks: rows.map((row) => ({
          ...row,
          status: row.status as (typeof STACK_STATUSES)[number],
          expiresAt: row.expiresAt as Date,
        })),
      };
    },
  );
};
