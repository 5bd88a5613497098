// Operations: request one on a stack, a stack's history, one operation, its events (JSON pages or
// a live event stream), and cancel.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { callerOf } from "../auth/auth-plugin.ts";
import { authErrors, ErrorBody, IdParams } from "../http/common-schemas.ts";
import type { KindRegistry } from "../kinds/kind-registry.ts";
import { toAcceptedView } from "../stacks/stack-view.ts";
import { Accepted } from "../stacks/stacks-schemas.ts";
import type { StacksService } from "../stacks/stacks-service.ts";
import type { EventFeed } from "./event-feed.ts";
import { resumeFrom, streamEvents, wantsEventStream } from "./event-stream.ts";
import { toOperationView } from "./operation-view.ts";
import {
  EventPage,
  EventsQuery,
  Operation,
  OperationHistoryQuery,
  OperationList,
  RequestOperationBody,
} from "./operations-schemas.ts";
import type { OperationsService } from "./operations-service.ts";

export interface OperationsRouterOptions {
  operations: OperationsService;
  stacks: Pick<StacksService, "operate">;
  kinds: Pick<KindRegistry, "getKind">;
  feed: EventFeed;
}

export const operationsRouter: FastifyPluginAsyncZod<OperationsRouterOptions> = async (app, options) => {
  const { operations, stacks, kinds, feed } = options;

  app.post(
    "/v1/stacks/:id/operations",
    {
      // Operators may preview, refresh, up and check drift; destroy and remediate need admin.
      // Audited as stack.<kind> (audit-plugin's derivedAction): a destroy here reads like DELETE's.
      config: { access: "operator", idempotent: true },
      schema: {
        tags: ["operations"],
        summary: "Queue an operation on the stack's current spec; it runs after those already queued",
        params: IdParams,
        body: RequestOperationBody,
        response: { 202: Accepted, ...authErrors, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const accepted = await stacks.operate(callerOf(request), request.params.id, request.body);
      return reply.code(202).send(toAcceptedView(accepted, kinds));
    },
  );

  app.get(
    "/v1/stacks/:id/operations",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["operations"],
        summary: "The stack's operations, newest first",
        params: IdParams,
        querystring: OperationHistoryQuery,
        response: { 200: OperationList, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => {
      const page = await operations.history(callerOf(request), request.params.id, request.query);
      return { operations: page.rows.map(toOperationView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/v1/operations/:id",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["operations"],
        summary: "One operation: status, timestamps, change summary, plan, error",
        params: IdParams,
        response: { 200: Operation, ...authErrors, 404: ErrorBody },
      },
    },
    async (request) => toOperationView(await operations.get(callerOf(request), request.params.id)),
  );

  app.get(
    "/v1/operations/:id/events",
    {
      config: { access: "viewer" },
      schema: {
        tags: ["operations"],
        summary:
          "The operation's engine events: JSON pages, or with `Accept: text/event-stream` a live stream that resumes with Last-Event-ID",
        params: IdParams,
        querystring: EventsQuery,
        response: { 200: EventPage, ...authErrors, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { id } = request.params;
      if (wantsEventStream(request)) {
        const after = resumeFrom(request, request.query.after);
        return streamEvents(request, reply, { operations, feed }, { caller, operationId: id, after });
      }
      const { events, next, finished } = await operations.events(
        caller,
        id,
        request.query.after,
        request.query.limit,
      );
      return { events, next, finished };
    },
  );

  app.post(
    "/v1/operations/:id/cancel",
    {
      config: { access: "operator", audit: "operation.cancel", idempotent: true },
      schema: {
        tags: ["operations"],
        summary: "Cancel: a queued operation at once, a running one gracefully (it ends `cancelled`)",
        params: IdParams,
        response: { 202: Operation, ...authErrors, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(202).send(toOperationView(await operations.cancel(callerOf(request), request.params.id))),
  );
};
