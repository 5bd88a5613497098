// Rate limiting per token: each token (by its prefix, which is unique) gets `max` requests per
// window, then 429 with Retry-After and the usual error body. The limiter runs as a route hook,
// after authentication, so the key is a token the caller proved it holds and cannot be spent by
// someone who merely knows its prefix. Public routes (health probes, docs) are not limited: a
// probe must never be refused, and the docs are static.
// Counters live in this process's memory: with several API replicas each one counts on its own
// (the effective limit is max × replicas); a Redis store can be plugged in here when that matters.
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { TooManyRequestsError } from "./errors.ts";

export interface RateLimitOptions {
  /** Requests per token per window. */
  max: number;
  windowMs: number;
}

function rateLimitKey(request: FastifyRequest): string {
  // No caller only where authentication did not run (unmatched routes): the client IP.
  return request.caller ? `token:${request.caller.tokenPrefix}` : `ip:${request.ip}`;
}

export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: rateLimitKey,
    allowList: (request) => request.routeOptions.config.access === "public",
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `rate limit exceeded: at most ${context.max} requests per ${Math.round(options.windowMs / 1000)} s; retry in ${context.after}`,
      ),
  });
}
