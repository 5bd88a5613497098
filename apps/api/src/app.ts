// The API as a Fastify instance, built from explicit dependencies; main.ts makes it listen and
// tests drive it with inject().
import { randomUUID } from "node:crypto";
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { approvalsRouter } from "./approvals/approvals-router.ts";
import { createApprovalsService } from "./approvals/approvals-service.ts";
import { registerAudit } from "./audit/audit-plugin.ts";
import { auditRouter } from "./audit/audit-router.ts";
import { createAuditService } from "./audit/audit-service.ts";
import { registerAuth } from "./auth/auth-plugin.ts";
import { createTokenCache } from "./auth/token-cache.ts";
import { createTokensService } from "./auth/tokens-service.ts";
import { consoleRouter } from "./console/console-router.ts";
import { driftRouter } from "./drift/drift-router.ts";
import { createDriftService } from "./drift/drift-service.ts";
import { expiryRouter } from "./expiry/expiry-router.ts";
import { createExpiryService } from "./expiry/expiry-service.ts";
import { healthRouter } from "./health/health-router.ts";
import { registerErrorHandler } from "./http/error-handler.ts";
import { registerIdempotency } from "./http/idempotency.ts";
import { registerOpenApi } from "./http/openapi.ts";
import { type RateLimitOptions, registerRateLimit } from "./http/rate-limit.ts";
import { registerSecurityHeaders } from "./http/security-headers.ts";
import { serializerCompiler } from "./http/serialization.ts";
import { validatorCompiler } from "./http/validation.ts";
import type { KindRegistry } from "./kinds/kind-registry.ts";
import { kindsRouter } from "./kinds/kinds-router.ts";
import type { ApiMetrics } from "./metrics/api-metrics.ts";
import { createEventFeed } from "./operations/event-feed.ts";
import { operationsRouter } from "./operations/operations-router.ts";
import { createOperationsService } from "./operations/operations-service.ts";
import { outputsRouter } from "./outputs/outputs-router.ts";
import { createOutputsService, type ReadStackOutputs } from "./outputs/outputs-service.ts";
import { createPolicyChecker } from "./policy/policy-check.ts";
import { policyRouter } from "./policy/policy-router.ts";
import type { PlatformPolicy } from "./policy/policy-schema.ts";
import { rolloutsRouter } from "./rollouts/rollouts-router.ts";
import { createRolloutsService } from "./rollouts/rollouts-service.ts";
import { stacksRouter } from "./stacks/stacks-router.ts";
import { createStacksService } from "./stacks/stacks-service.ts";
import { tokensRouter } from "./tokens/tokens-router.ts";

export interface AppDeps {
  db: Db;
  /** For the notifications that wake live event streams. */
  databaseUrl: string;
  kinds: KindRegistry;
  /** Reads outputs with secret values for `?reveal=true` (`@gantry/engine`'s readStackOutputs, bound to its settings). */
  readStackOutputs: ReadStackOutputs;
  logger: Logger;
  /** The platform policy (config's policy file); no rules when absent. */
  policy?: PlatformPolicy;
  /** Requests per token per window (default 600 a minute). */
  rateLimit?: RateLimitOptions;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Seals secret input values handed to the worker (GANTRY_SECRET_INPUT_KEY); absent: they are refused. */
  secretInputKey?: Buffer | undefined;
  /** Counts and times every request (main.ts always gives it; its port is optional). */
  metrics?: Pick<ApiMetrics, "instrument">;
  /** The console's static build, served at /ui (config's GANTRY_CONSOLE_DIR); absent: no /ui. */
  consoleDir?: string | undefined;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; only the generic parameters differ.
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // One line per request (below) instead of Fastify's two: logging was a tenth of a request's CPU.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // The request line's fields are fixed (request id, method, URL, status, time), and none is under
  // a key redaction censors (secrets in a URL are not censored by key either): it is written without
  // the redaction pass, which cost as much as the rest of the line. The same line as request.log
  // wrote (app.log's serializers are kept).
  const requestLines = app.log.child({}, { redact: [] });
  app.addHook("onResponse", async (request, reply) => {
    requestLines.info(
      {
        reqId: request.id,
        req: { method: request.method, url: request.url, remoteAddress: request.ip },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      "request completed",
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // API answers can carry revealed secrets: no cache keeps a copy.
    if (request.url.startsWith("/v1/")) reply.header("cache-control", "no-store");
  });
  registerErrorHandler(app);
  deps.metrics?.instrument(app);
  const tokenCache = createTokenCache({ databaseUrl: deps.databaseUrl, logger: deps.logger });
  app.addHook("onClose", () => tokenCache.close());
  const tokens = createTokensService({ db: deps.db, cache: tokenCache });
  registerAuth(app, { tokens });
  const audit = createAuditService({ db: deps.db });
  registerAudit(app, { audit });
  registerIdempotency(app, { db: deps.db });
  await registerSecurityHeaders(app);
  // Before every route, so each gets its limiter hook (which runs after authentication).
  await registerRateLimit(app, deps.rateLimit ?? { max: 600, windowMs: 60_000 });
  await registerOpenApi(app);

  const { db, kinds } = deps;
  const policy = createPolicyChecker(deps.policy ?? {});
  const stacks = createStacksService({ db, kinds, policy, secretInputKey: deps.secretInputKey });
  const feed = createEventFeed({ databaseUrl: deps.databaseUrl, logger: deps.logger });
  app.addHook("onClose", () => feed.close());
  await app.register(healthRouter, { db });
  await app.register(kindsRouter, { kinds });
  await app.register(stacksRouter, { stacks, kinds });
  await app.register(outputsRouter, {
    outputs: createOutputsService({
      db,
      kinds,
      readStackOutputs: deps.readStackOutputs,
      logger: deps.logger,
    }),
  });
  await app.register(operationsRouter, { operations: createOperationsService({ db }), stacks, kinds, feed });
  await app.register(tokensRouter, { tokens });
  await app.register(auditRouter, { audit });
  await app.register(policyRouter, { policy });
  await app.register(approvalsRouter, { approvals: createApprovalsService({ db }) });
  await app.register(rolloutsRouter, { rollouts: createRolloutsService({ db, kinds }) });
  await app.register(expiryRouter, { expiry: createExpiryService({ db }), kinds });
  await app.register(driftRouter, { drift: createDriftService({ db }) });
  if (deps.consoleDir) await app.register(consoleRouter, { dir: deps.consoleDir });
  return app;
}
