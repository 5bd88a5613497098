// Roles are ordered: each one can do everything the one before it can.
import { type OperationKind, ROLES, type Role } from "@gantry/core";
import { ForbiddenError } from "../http/errors.ts";

/** What a route requires: a role, or nothing at all (health, docs). */
export type Access = Role | "public";

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/** The caller of an authenticated request, resolved from its bearer token. */
export interface Caller {
  teamId: string;
  teamName: string;
  role: Role;
  tokenId: string;
  /** Display prefix of the token (`gnt_AbCdEfGh`), safe to log and store. */
  tokenPrefix: string;
  tokenName: string | null;
  /**
   * Set only for the Kubernetes controller acting for one resource (`PgDatabase team-a/orders`):
   * the stacks it creates are owned by that resource, and only it may change them.
   */
  manager?: string;
}

/** Who asked, as recorded on operations: the token's prefix, and its name when it has one. */
export function requesterOf(caller: Caller): string {
  const who = caller.tokenName ? `${caller.tokenPrefix} (${caller.tokenName})` : caller.tokenPrefix;
  return who.slice(0, 100);
}

/** For checks that depend on the request (e.g. `?reveal=true` needs admin). */
export function requireRole(caller: Caller, role: Role, what: string): void {
  if (!hasRole(caller.role, role)) {
    throw new ForbiddenError(`${what} needs the ${role} role; the token has the ${caller.role} role`);
  }
}

/**
 * The role each operation kind needs, wherever it is requested (`POST /v1/stacks` and `PATCH` queue
 * an `up`, `DELETE` a `destroy`, `POST /v1/stacks/:id/operations` any kind): operators run what
 * converges or only looks; destroying and overwriting live resources (remediate) is for admins.
 */
export const ROLE_FOR_OPERATION: Readonly<Record<OperationKind, Role>> = {
  up: "operator",
  preview: "operator",
  refresh: "operator",
  "drift-check": "operator",
  destroy: "admin",
  remediate: "admin",
};

/** For routes whose required role depends on the operation kind in the body. */
export function requireOperationRole(caller: Caller, kind: OperationKind): void {
  requireRole(caller, ROLE_FOR_OPERATION[kind], `a ${kind} operation`);
}
