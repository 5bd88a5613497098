// `Idempotency-Key` on POST: the first answer to a request is stored and given again to every
// repeat of it, so a client that lost an answer can retry without queueing the work twice. A key
// belongs to a team and one request (method, path, body); reusing it for another is refused, and
// a repeat that arrives while the first is still being answered is told to retry. Keys are kept
// for a day. 5xx answers are not kept: the request did not happen, and may be retried. Routes opt
// in with `config: { idempotent: true }`; one whose answer holds a secret (a new token) must not.
import { createHash } from "node:crypto";
import type { Db } from "@gantry/db";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError, ConflictError, ValidationError } from "./errors.ts";

const HEADER = "idempotency-key";
const KEY = /^[\x21-\x7e]{1,200}$/;
const KEEP_MS = 24 * 60 * 60 * 1000;

declare module "fastify" {
  interface FastifyContextConfig {
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey: { teamId: string; key: string } | null;
  }
}

export function registerIdempotency(app: FastifyInstance, deps: { db: Pick<Db, "idempotencyKey"> }): void {
  const { db } = deps;
  app.decorateRequest("idempotencyKey", null);

  // preHandler: after authentication and validation, so only well-formed, allowed requests count.
  app.addHook("preHandler", async (request, reply) => {
    const header = request.headers[HEADER];
    if (!request.routeOptions.config.idempotent || header === undefined || !request.caller) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY.test(key)) {
      throw new ValidationError([
        { path: `headers.${HEADER}`, message: "must be 1 to 200 printable ASCII characters without spaces" },
      ]);
    }
    const teamId = request.caller.teamId;
    const requestHash = hashRequest(request);
    const fresh = new Date(Date.now() - KEEP_MS);
    // Claim the key; an expired claim is taken over.
    await db.idempotencyKey.deleteMany({ where: { teamId, key, createdAt: { lt: fresh } } });
    const claimed = await db.idempotencyKey.createMany({
      data: [{ teamId, key, requestHash }],
      skipDuplicates: true,
    });
    if (claimed.count === 1) {
      request.idempotencyKey = { teamId, key };
      return;
    }
    const first = await db.idempotencyKey.findUnique({ where: { teamId_key: { teamId, key } } });
    if (!first || first.requestHash !== requestHash) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key was used for a different request; use a new key for a new request",
      );
    }
    if (first.statusCode === null) {
      throw new ConflictError(
        "idempotency_in_progress",
        "a request with this Idempotency-Key is still running; retry shortly",
      );
    }
    return reply
      .code(first.statusCode)
      .header("idempotent-replayed", "true")
      .type("application/json; charset=utf-8")
      .send(JSON.stringify(first.response));
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const claim = request.idempotencyKey;
    if (!claim) return payload;
    const where = { teamId_key: claim };
    if (reply.statusCode >= 500) {
      await db.idempotencyKey.delete({ where });
    } else {
      await db.idempotencyKey.update({
        where,
        data: { statusCode: reply.statusCode, response: JSON.parse(String(payload)) },
      });
    }
    return payload;
  });
}

function hashRequest(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest("hex");
}
