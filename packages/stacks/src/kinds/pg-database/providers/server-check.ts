// The `check` step both providers share: it pins a resource to the server it is created on.
import { adminUrl, serverIdentity } from "./admin-connection.ts";

/**
 * The server a resource's inputs name: the one of the admin URL in the engine's environment, and
 * for an existing resource that must still be the one it was created on.
 */
export function pinnedServer(previous: string | undefined): string {
  const current = serverIdentity(adminUrl());
  if (previous !== undefined && previous !== current) {
    throw new Error(
      `this stack's resources live on ${previous}, but GANTRY_PG_SERVER_URL points at ${current}; ` +
        "moving a database between servers is not supported",
    );
  }
  return current;
}
