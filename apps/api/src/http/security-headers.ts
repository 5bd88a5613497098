// Security headers on every answer (helmet's defaults: CSP, HSTS, frame and sniffing protection,
// no referrer leaks). The Swagger UI at /docs sends its own CSP (`staticCSP` in openapi.ts), with
// no inline script, so it works under a strict policy. Gantry is often reached over plain HTTP
// inside a network (TLS ends at a proxy): `upgrade-insecure-requests` would make browsers fetch the
// docs' scripts over HTTPS from a server that has none, so it is left out.
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}

/** The same rule for the CSP the Swagger UI sends itself. */
export function withoutUpgradeInsecureRequests(csp: string): string {
  return csp.replace(/\s*upgrade-insecure-requests;?/g, "");
}
