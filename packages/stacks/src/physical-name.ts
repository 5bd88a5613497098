// The name a stack's resources carry on shared infrastructure (a Postgres server, an AWS account).
import { createHash } from "node:crypto";

const MAX_LENGTH = 63; // Postgres identifiers (NAMEDATALEN - 1), also a DNS label
const DIGEST_LENGTH = 10;

/**
 * Deterministic, unique per (team, stack) and safe as an unquoted Postgres identifier:
 * `g_<team>_<stack>_<digest>`, lower case, at most 63 characters. The readable part is lossy
 * (`-` becomes `_`, long names are cut), so uniqueness comes from the digest of the exact pair.
 */
export function physicalName(teamName: string, stackName: string): string {
  const digest = createHash("sha256")
    .update(`${teamName}\u0000${stackName}`)
    .digest("hex")
    .slice(0, DIGEST_LENGTH);
  const room = MAX_LENGTH - "g_".length - "_".length - DIGEST_LENGTH;
  const readable = `${teamName}_${stackName}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, room)
    .replace(/^_+|_+$/g, "");
  return readable ? `g_${readable}_${digest}` : `g_${digest}`;
}
