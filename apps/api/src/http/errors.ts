// Typed errors a service throws; the error handler turns each into its status and error body.

/** One problem with one field of the request, e.g. `{ path: "spec.connectionLimit", message: "must be at most 1000" }`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly issues?: readonly FieldIssue[];

  constructor(statusCode: number, code: string, message: string, issues?: readonly FieldIssue[]) {
    super(message);
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    this.issues = issues;
  }
}

/** "spec.connectionLimit: must be at most 1000; spec.colour: is not a known field" */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
}

export class ValidationError extends ApiError {
  constructor(issues: readonly FieldIssue[]) {
    super(400, "validation_failed", describeIssues(issues), issues);
  }
}

/** Whose token was refused (revoked, expired), when that is known: the audit log names it. */
export interface RefusedToken {
  teamId: string;
  tokenPrefix: string;
  role: string;
}

export class UnauthorizedError extends ApiError {
  readonly refusedToken?: RefusedToken;

  constructor(message: string, refusedToken?: RefusedToken) {
    super(401, "unauthorized", message);
    this.refusedToken = refusedToken;
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, "forbidden", message);
  }
}

/** Unknown ids and other teams' ids look exactly alike. */
export class NotFoundError extends ApiError {
  constructor(what: "stack" | "operation" | "token" | "rollout", id: string) {
    super(404, "not_found", `no ${what} with id "${id.slice(0, 100)}"`);
  }
}

export class ConflictError extends ApiError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** A well-formed request the domain refuses: unknown kind, invalid spec, impossible dependency. */
export class UnprocessableError extends ApiError {
  constructor(code: string, issues: readonly FieldIssue[]) {
    super(422, code, describeIssues(issues), issues);
  }
}

export class TooManyRequestsError extends ApiError {
  constructor(message: string) {
    super(429, "rate_limited", message);
  }
}

export class ServiceUnavailableError extends ApiError {
  constructor(message: string) {
    super(503, "unavailable", message);
  }
}
