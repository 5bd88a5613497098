// The one place errors become responses: `{ error, message, requestId }` (plus `issues` for
// refused fields). Typed errors carry their status; anything unexpected is a 500 that is logged
// and never echoed to the client.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, type FieldIssue } from "./errors.ts";

interface ErrorReply {
  status: number;
  error: string;
  message: string;
  issues?: readonly FieldIssue[] | undefined;
}

const FASTIFY_CODES: Record<
  string,
  { status: number; error: string; message: (err: FastifyError) => string }
> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: "payload_too_large",
    message: () => "request body is too large",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: "unsupported_media_type",
    message: () => "request body must be application/json",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: "validation_failed",
    message: () => "body: must not be empty when content-type is application/json",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    error: "invalid_json",
    message: () => "body is not valid JSON",
  },
};

export function toErrorReply(err: FastifyError | Error): ErrorReply {
  if (err instanceof ApiError)
    return { status: err.statusCode, error: err.code, message: err.message, issues: err.issues };
  const code = "code" in err ? err.code : undefined;
  const known = code ? FASTIFY_CODES[code] : undefined;
  if (known) return { status: known.status, error: known.error, message: known.message(err as FastifyError) };
  if (isDatabaseUnavailable(err))
    return { status: 503, error: "unavailable", message: "the database is unavailable" };
  const status = "statusCode" in err && typeof err.statusCode === "number" ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, bad content type …): their messages describe the request.
    const error = status === 400 && err instanceof SyntaxError ? "invalid_json" : "bad_request";
    return { status, error, message: err.message.slice(0, 300) };
  }
  return {
    status: 500,
    error: "internal",
    message: "internal error; the request id identifies it in the logs",
  };
}

/**
 * Connection-level failures: Prisma's "cannot reach / timed out / connection closed / pool
 * exhausted" codes (P2028: a transaction found no free connection within its maxWait), and raw
 * driver errors (refused, reset, server shutting down). All pass; the client is told to retry.
 */
function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 4) return false;
  const { name, code, cause } = err as { name?: string; code?: unknown; cause?: unknown };
  if (name === "PrismaClientInitializationError") return true;
  if (
    typeof code === "string" &&
    /^(P1001|P1002|P1008|P1017|P2024|P2028|ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[1-3]|08\w{3})$/.test(code)
  ) {
    return true;
  }
  return isDatabaseUnavailable(cause, depth + 1);
}

/** A busy or restarting database is usually back within seconds. */
const RETRY_AFTER_SECONDS = "2";

export function sendError(request: FastifyRequest, reply: FastifyReply, err: FastifyError | Error) {
  const { status, ...body } = toErrorReply(err);
  if (status >= 500) request.log.error({ err }, "request failed");
  if (status === 401) reply.header("www-authenticate", 'Bearer realm="gantry"');
  if (status === 503) reply.header("retry-after", RETRY_AFTER_SECONDS);
  return reply.code(status).send({ ...body, requestId: request.id });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: "not_found",
      message: `no route ${request.method} ${request.url.split("?")[0]?.slice(0, 200)}`,
      requestId: request.id,
    }),
  );
}
