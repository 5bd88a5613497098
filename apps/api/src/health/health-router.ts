// Liveness (the process answers) and readiness (the database answers, within a second).
import type { Db } from "@gantry/db";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ErrorBody } from "../http/common-schemas.ts";
import { ServiceUnavailableError } from "../http/errors.ts";

const Health = z.object({ status: z.literal("ok") });
const READY_TIMEOUT_MS = 1000;

export const healthRouter: FastifyPluginAsyncZod<{ db: Pick<Db, "$queryRaw"> }> = async (app, { db }) => {
  app.get(
    "/healthz",
    {
      config: { access: "public" },
      schema: { tags: ["ops"], summary: "The process is up", response: { 200: Health } },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { access: "public" },
      schema: {
        tags: ["ops"],
        summary: "The database is reachable",
        response: { 200: Health, 503: ErrorBody },
      },
    },
    async (request) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("database check timed out")), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
      } catch (err) {
        request.log.warn({ err }, "not ready: database unreachable");
        throw new ServiceUnavailableError("the database is not reachable");
      } finally {
        clearTimeout(timer);
      }
      return { status: "ok" as const };
    },
  );
};
