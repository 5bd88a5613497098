// /v1/stacks: create, list, read, change and destroy stacks. Mutations answer 202 with the
// operation they queued; none of them waits for Pulumi. Protecting a stack (admins) answers it.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { ROLE_FOR_OPERATION } from "../auth/roles.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import { toAcceptedView, toStackView } from "./stack-view.ts";
import {
  Accepted,
  CreateStackBody,
  ListStacksQuery,
  PatchStackBody,
  Stack,
  StackList,
} from "./stacks-schemas.ts";
import type { StacksService } from "./stacks-service.ts";
import type { Accepted as AcceptedRows } from "./stacks-service-contract.ts";

export interface StacksRouterOptions {
  stacks: StacksService;
  kinds: Pick<KindRegistry, "getKind">;
}

export const stacksRouter: FastifyPluginAsyncZod<StacksRouterOptions> = async (app, { stacks, kinds }) => {
  const accepted = (rows: AcceptedRows) => toAcceptedView(rows, kinds);

  app.post(
    "/v1/stacks",
    {
      config: { access: ROLE_FOR_OPERATION.up, audit: "stack.create", idempotent: true },
      schema: {
        tags: ["stacks"],
        summary: "Create a stack and queue its first `up`",
        body: CreateStackBody,
        response: { 202: Accepted, ...authErrors, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const created = await stacks.create(callerOf(request), request.body);
      request.auditTarget = created.stack.id;
      return reply.code(202).send(accepted(created));
    },
  );

  app.get(
    "/v1/stacks",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["stacks"],
        summary: "List the team's stacks, newest first",
        querystring: ListStacksQuery,
        response: { 200: StackList, ...authErrors },
      },
    },
    async (request) => {
      const page = await stacks.list(callerOf(request), request.query);
      return { stacks: page.stacks.map((row) => toStackView(row, kinds)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/v1/stacks/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["stacks"],
        summary: "One stack: status, spec, outputs (secrets redacted), drift, last operation",
        params: IdParams,
        response: { 200: Stack, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => toStackView(await stacks.get(callerOf(request), request.params.id), kinds),
  );

  app.patch(
    "/v1/stacks/:id",
    {
      config: { access: ROLE_FOR_OPERATION.up, audit: "stack.update" },
      schema: {
        tags: ["stacks"],
        summary: "Change the spec (JSON Merge Patch) and, if given, dependsOn; queue an `up`",
        params: IdParams,
        body: PatchStackBody,
        response: {
          202: Accepted,
          ...authErrors,
          404: ErrorBody,
          409: ErrorBody,
          413: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(accepted(await stacks.update(callerOf(request), request.params.id, request.body))),
  );

  app.delete(
    "/v1/stacks/:id",
    {
      config: { access: ROLE_FOR_OPERATION.destroy, audit: "stack.destroy" },
      schema: {
        tags: ["stacks"],
        summary: "Queue a `destroy`; refused while other stacks depend on this one",
        params: IdParams,
        response: { 202: Accepted, ...authErrors, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(202).send(accepted(await stacks.destroy(callerOf(request), request.params.id))),
  );

  // Protection is an admin's decision, like an approval: it decides which changes wait for one.
  const protection = (verb: "protect" | "unprotect", summary: string) =>
    app.post(
      `/v1/stacks/:id/${verb}`,
      {
        config: { access: "admin", audit: `stack.${verb}` },
        schema: {
          tags: ["stacks"],
          summary,
          params: IdParams,
          response: { 200: Stack, ...authErrors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) =>
        toStackView(
          await stacks.setProtected(callerOf(request), request.params.id, verb === "protect"),
          kinds,
        ),
    );
  protection(
    "protect",
    "Mark a stack protected: `protectedOnly` approval rules apply to it, and its destroy always needs an approval",
  );
  protection("unprotect", "Clear a stack's protected mark");
};
