// /v1/tokens: the team's API tokens, for admins. A new token is shown once, in the 201 answer;
// listings never show hashes; DELETE revokes (the row stays, for the audit trail).
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import type { TokensService } from "../auth/tokens-service.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import { UnprocessableError } from "../http/errors.ts";
import { CreatedToken, CreateTokenBody, Token, TokenList } from "./tokens-schemas.ts";

export interface TokensRouterOptions {
  tokens: Pick<TokensService, "create" | "list" | "revokeById">;
}

export const tokensRouter: FastifyPluginAsyncZod<TokensRouterOptions> = async (app, { tokens }) => {
  app.post(
    "/v1/tokens",
    {
      config: { access: "admin", audit: "token.create" },
      schema: {
        tags: ["tokens"],
        summary: "Create an API token for the team; the token is shown only in this answer",
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...authErrors, 413: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { role, name, expiresInDays } = request.body;
      const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : undefined;
      if (expiresAt && expiresAt <= new Date()) {
        throw new UnprocessableError("invalid_expiry", [
          { path: "expiresAt", message: "must be in the future" },
        ]);
      }
      const created = await tokens.create({
        teamName: caller.teamName,
        role,
        name,
        expiresInDays,
        expiresAt,
      });
      request.auditTarget = created.prefix;
      return reply.code(201).send({ ...created, role });
    },
  );

  app.get(
    "/v1/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["tokens"],
        summary: "The team's tokens (never the tokens themselves), revoked and expired ones included",
        response: { 200: TokenList, ...authErrors },
      },
    },
    async (request) => ({ tokens: (await tokens.list(callerOf(request).teamId)).map(asToken) }),
  );

  app.delete(
    "/v1/tokens/:id",
    {
      config: { access: "admin", audit: "token.revoke" },
      schema: {
        tags: ["tokens"],
        summary: "Revoke a token: it answers 401 from now on",
        params: IdParams,
        response: { 200: Token, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => {
      const revoked = await tokens.revokeById(callerOf(request).teamId, request.params.id);
      request.auditTarget = revoked.prefix;
      return asToken(revoked);
    },
  );
};

/** Rows store the role as text; the token service only ever writes known roles. */
function asToken<T extends { role: string }>(row: T) {
  return { ...row, role: row.role as "viewer" | "operator" | "admin" };
}
