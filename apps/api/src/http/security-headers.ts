// Security headers on every answer (helmet's defaults: CSP, HSTS, frame and sniffing protection,
// no referrer leaks). The Swagger UI at /docs sends its own CSP (`staticCSP` in openapi.ts), with
// no inline script, so it works under a strict policy. Gantry is often reached over plain HTTP
// inside a network (TLS ends at a proxy): `upgrade-insecure-requests` would make browsers fetch the
// docs' scripts over HTTPS from a server that has none, so it is left out.
// helmet's middleware is built once: @fastify/helmet built it again on every request (parsing the
// CSP directives each time), a few percent of a stack read's CPU, for headers that never change.
import type { FastifyInstance } from "fastify";
import helmet from "helmet";

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const setHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  // On the raw response, as @fastify/helmet did: a route's own header (the docs' CSP) still wins.
  app.addHook("onRequest", (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
}

/** The same rule for the CSP the Swagger UI sends itself. */
export function withoutUpgradeInsecureRequests(csp: string): string {
  return csp.replace(/\s*upgrade-insecure-requests;?/g, "");
}
