// Records audited requests: every mutating one (POST/PATCH/PUT/DELETE), every secret reveal and every
// token change, with its result, refused ones included when the token is known (a revoked or
// expired token, a role too low). It runs on onSend, so an entry exists before its answer leaves;
// bodies are never stored. A route names its action with `config: { audit: "stack.create" }`;
// one without gets a name derived from its path, so new routes are audited from the start.
import { OPERATION_KINDS, type OperationKind } from "@gantry/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type RefusedToken, UnauthorizedError } from "../http/errors.ts";
import type { AuditService, NewAuditEntry } from "./audit-service.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The audit action of the route, e.g. `stack.create`. */
    audit?: string;
  }
  interface FastifyRequest {
    /** The audited target when it is not the `:id` of the path (e.g. the stack a POST created). */
    auditTarget?: string;
    refusedToken?: RefusedToken;
  }
}

const MUTATING = new Set(["POST", "PATCH", "PUT", "DELETE"]);

export function registerAudit(app: FastifyInstance, deps: { audit: Pick<AuditService, "record"> }): void {
  app.addHook("onError", async (request, _reply, err) => {
    if (err instanceof UnauthorizedError && err.refusedToken) request.refusedToken = err.refusedToken;
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const entry = auditEntryOf(request, reply.statusCode);
    if (entry) {
      try {
        await deps.audit.record(entry);
      } catch (err) {
        // The change itself is committed; the answer must still reach the caller. Loud, not silent.
        request.log.error({ err, action: entry.action }, "audit entry could not be written");
      }
    }
    return payload;
  });
}

/** The entry for this request, or undefined when it is not audited or nobody is known. */
function auditEntryOf(request: FastifyRequest, statusCode: number): NewAuditEntry | undefined {
  const { config, url: route } = request.routeOptions;
  if (!route || config.access === undefined || config.access === "public") return undefined;
  if (!MUTATING.has(request.method) && !isReveal(request)) return undefined;
  const who = request.caller ?? request.refusedToken;
  if (!who) return undefined;
  return {
    teamId: who.teamId,
    actor: who.tokenPrefix,
    role: who.role,
    action: config.audit ?? derivedAction(request.method, route, request.body),
    method: request.method,
    route: route.slice(0, 200),
    targetId: (request.auditTarget ?? pathId(request))?.slice(0, 100) ?? null,
    requestId: request.id,
    statusCode,
    result: resultOf(statusCode),
    ip: request.ip?.slice(0, 64) ?? null,
  };
}

function isReveal(request: FastifyRequest): boolean {
  const query = request.url.split("?")[1];
  return query !== undefined && new URLSearchParams(query).get("reveal") === "true";
}

function pathId(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  return typeof params?.id === "string" ? params.id : undefined;
}

/**
 * The action of a route that does not name its own: `POST /v1/stacks/:id/operations` with
 * `{kind: "destroy"}` → `stack.destroy` (the kind decides what happened, and the role it needs);
 * otherwise from the path: `POST /v1/operations/:id/cancel` → `operations.cancel.post`.
 */
export function derivedAction(method: string, route: string, body?: unknown): string {
  const kind = (body as { kind?: unknown } | null | undefined)?.kind;
  if (/\/operations$/.test(route) && typeof kind === "string" && isOperationKind(kind))
    return `stack.${kind}`;
  const parts = route
    .replace(/^\/v1\//, "")
    .split("/")
    .filter((part) => part && !part.startsWith(":"));
  return [...parts, method.toLowerCase()].join(".").slice(0, 64);
}

function isOperationKind(value: string): value is OperationKind {
  return (OPERATION_KINDS as readonly string[]).includes(value);
}

function resultOf(status: number): string {
  if (status < 400) return "ok";
  if (status === 401 || status === 403 || status === 429) return "denied";
  return status < 500 ? "rejected" : "error";
}
