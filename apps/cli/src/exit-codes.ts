// The CLI's exit codes, stable for scripts (listed in the README), and the one error type that
// carries one. API answers map to them by status, so `gantry get x || …` can tell "not there"
// from "not allowed" from "Gantry is down".
import { GantryApiError } from "@gantry/client";

export const EXIT = {
  ok: 0,
  /** An operation the command waited for ended failed, cancelled or interrupted (or drift was found with --exit-code). */
  operationFailed: 1,
  /** Bad arguments, an unreadable or invalid file, or a request the API refused as invalid (400, 413, 422). */
  usage: 2,
  /** The stack, operation or kind does not exist (or is another team's). */
  notFound: 3,
  /** No token, a token the API refused (401), or a role that may not do this (403). */
  auth: 4,
  /** The API refused the change as conflicting (409: a name taken, dependents exist). */
  conflict: 5,
  /** --timeout passed before the operation ended. */
  timeout: 6,
  /** The API could not be reached, or answered 429 or 5xx. */
  unavailable: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 422) return EXIT.usage;
  return EXIT.unavailable;
}

/** The message and exit code of anything a command threw. */
export function describeFailure(err: unknown): { message: string; exitCode: ExitCode } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof GantryApiError) {
    const issues = (err.issues ?? []).map((issue) => `\n  ${issue.path}: ${issue.message}`).join("");
    return {
      message: `${err.message} (${err.code}, ${err.status})${issues}`,
      exitCode: exitCodeOfStatus(err.status),
    };
  }
  // fetch's TypeError("fetch failed") with the socket's error as its cause.
  if (err instanceof TypeError && err.message === "fetch failed") {
    const cause = (err.cause as Error | undefined)?.message;
    return { message: `cannot reach the Gantry API${cause ? `: ${cause}` : ""}`, exitCode: EXIT.unavailable };
  }
  return { message: err instanceof Error ? err.message : String(err), exitCode: EXIT.unavailable };
}
