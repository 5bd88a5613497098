// GET /v1/audit: the team's audit log, for admins.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors } from "../http/common-schemas.ts";
import { AuditPage, AuditQuery } from "./audit-schemas.ts";
import type { AuditService } from "./audit-service.ts";

export const auditRouter: FastifyPluginAsyncZod<{ audit: Pick<AuditService, "list"> }> = async (
  app,
  { audit },
) => {
  app.get(
    "/v1/audit",
    {
      config: { access: "admin" },
      schema: {
        tags: ["audit"],
        summary: "The team's audit log, newest first: who did what to which target, with what result",
        querystring: AuditQuery,
        response: { 200: AuditPage, ...authErrors },
      },
    },
    async (request) => {
      const page = await audit.list(callerOf(request).teamId, request.query);
      return {
        entries: page.entries.map(({ teamId: _team, ...entry }) => ({
          ...entry,
          result: entry.result as "ok" | "denied" | "rejected" | "error",
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
