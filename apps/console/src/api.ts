// Calls to the Gantry API with the session's token. Errors keep the API's shape
// ({error, message, issues}) so pages can show the message and put field issues on their fields.
import { savedToken } from "./session.ts";
import type { ErrorBody } from "./types.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${savedToken() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      parsed ?? { error: "http_error", message: `${response.status} ${response.statusText}` },
    );
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
