// The API's error body as an exception, so callers can write `await unwrap(client.GET(…))` and
// branch on the status and the stable code rather than on a message.
import type { components } from "./generated/openapi.ts";

export type ErrorBody = components["schemas"]["Error"];

export class GantryApiError extends Error {
  readonly status: number;
  /** The API's stable code (`not_found`, `validation_failed`, …), or `http_<status>` when the body was not the API's. */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly issues: ErrorBody["issues"];

  constructor(status: number, body: unknown) {
    const api = isErrorBody(body) ? body : undefined;
    super(api?.message ?? `the API answered ${status}`);
    this.name = "GantryApiError";
    this.status = status;
    this.code = api?.error ?? `http_${status}`;
    this.requestId = api?.requestId;
    this.issues = api?.issues;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as ErrorBody).error === "string" &&
    typeof (body as ErrorBody).message === "string"
  );
}

/** The data of a successful answer; a GantryApiError for any other. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw new GantryApiError(response.status, error);
  return data;
}
