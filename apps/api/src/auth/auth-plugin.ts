// Authentication and role checks. Every route declares `config: { access }` (a role, or "public");
// a route without one is refused when it is registered, so no route can forget its check. The
// table of routes and their access is kept for the authorization tests.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ForbiddenError, UnauthorizedError } from "../http/errors.ts";
import { type Access, type Caller, hasRole } from "./roles.ts";
import type { TokensService } from "./tokens-service.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyInstance {
    /** Every route with the access it requires, in registration order. */
    accessTable: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** Routes of plugins we do not write ourselves (Swagger UI, the console's static files) that are public by nature. */
const PUBLIC_PREFIXES = ["/docs", "/ui"];
const MAX_AUTHORIZATION_LENGTH = 200;

export function registerAuth(app: FastifyInstance, deps: { tokens: Pick<TokensService, "resolve"> }): void {
  const table: RouteAccess[] = [];
  app.decorate("accessTable", table);
  app.decorateRequest("caller", null);

  app.addHook("onRoute", (route) => {
    route.config ??= {};
    if (!route.config.access && PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config.access = "public";
    }
    const access = route.config.access;
    if (!access) throw new Error(`route ${String(route.method)} ${route.url} does not declare its access`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
  });

  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    // No access means no route matched: the not-found handler answers.
    if (access === undefined || access === "public") return;
    const caller = await deps.tokens.resolve(bearerToken(request));
    // Known before the role check, so a refusal is still attributed (audit log, rate limit).
    request.caller = caller;
    if (!hasRole(caller.role, access)) {
      throw new ForbiddenError(`this needs the ${access} role; the token has the ${caller.role} role`);
    }
  });
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new UnauthorizedError("missing Authorization: Bearer <token> header");
  const match = /^Bearer +(\S+) *$/i.exec(header.slice(0, MAX_AUTHORIZATION_LENGTH));
  if (!match?.[1]) throw new UnauthorizedError("the Authorization header must be `Bearer <token>`");
  return match[1];
}

/** The authenticated caller of a request on a non-public route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error("callerOf() used on a route without authentication");
  return request.caller;
}
