// Security headers on every answer (helmet's defaults: CSP, HSTS, frame and sniffing protection,
// no referrer leaks). The Swagger UI at /docs sends its own CSP with the hashes of its inline
// scripts (`staticCSP` in openapi.ts), so it keeps working under a strict policy.
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { global: true });
}
