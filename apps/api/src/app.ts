// The API as a Fastify instance, built from explicit dependencies; main.ts makes it listen and
// tests drive it with inject().
import { randomUUID } from "node:crypto";
import type { Logger } from "@gantry/core";
import type { Db } from "@gantry/db";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler } from "fastify-type-provider-zod";
import { registerAuth } from "./auth/auth-plugin.ts";
import { createTokensService } from "./auth/tokens-service.ts";
import { createDriftRequests } from "./drift/drift-requests.ts";
import { driftRouter } from "./drift/drift-router.ts";
import { createDriftService } from "./drift/drift-service.ts";
import { healthRouter } from "./health/health-router.ts";
import { registerErrorHandler } from "./http/error-handler.ts";
import { registerOpenApi } from "./http/openapi.ts";
import { validatorCompiler } from "./http/validation.ts";
import type { KindRegistry } from "./kinds/kind-registry.ts";
import { kindsRouter } from "./kinds/kinds-router.ts";
import { operationsRouter } from "./operations/operations-router.ts";
import { createOperationsService } from "./operations/operations-service.ts";
import { outputsRouter } from "./outputs/outputs-router.ts";
import { createOutputsService, type ReadStackOutputs } from "./outputs/outputs-service.ts";
import { stacksRouter } from "./stacks/stacks-router.ts";
import { createStacksService } from "./stacks/stacks-service.ts";

export interface AppDeps {
  db: Db;
  kinds: KindRegistry;
  /** Reads outputs with secret values for `?reveal=true` (`@gantry/engine`'s readStackOutputs, bound to its settings). */
  readStackOutputs: ReadStackOutputs;
  logger: Logger;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; only the generic parameters differ.
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    reply.header("x-content-type-options", "nosniff");
    // API answers can carry revealed secrets: no cache keeps a copy.
    if (request.url.startsWith("/v1/")) reply.header("cache-control", "no-store");
  });
  registerErrorHandler(app);
  registerAuth(app, { tokens: createTokensService({ db: deps.db }) });
  await registerOpenApi(app);

  const { db, kinds } = deps;
  await app.register(healthRouter, { db });
  await app.register(kindsRouter, { kinds });
  await app.register(stacksRouter, { stacks: createStacksService({ db, kinds }), kinds });
  await app.register(outputsRouter, {
    outputs: createOutputsService({
      db,
      kinds,
      readStackOutputs: deps.readStackOutputs,
      logger: deps.logger,
    }),
  });
  await app.register(operationsRouter, {
    operations: createOperationsService({ db }),
    driftRequests: createDriftRequests({ db }),
  });
  await app.register(driftRouter, { drift: createDriftService({ db }) });
  return app;
}
