// Passwords reach Postgres as SCRAM-SHA-256 verifiers, computed here the way libpq's
// PQencryptPasswordConn does: the plaintext never travels in SQL, so statement logging
// (log_statement = ddl) and pg_stat_activity cannot show it. Serialized with the providers.

const ITERATIONS = 4096;

/** A SCRAM-SHA-256 verifier for `password` (ASCII, so SASLprep leaves it unchanged). */
export function scramVerifier(password: string): string {
  const { createHash, createHmac, pbkdf2Sync, randomBytes } =
    require("node:crypto") as typeof import("node:crypto");
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest("base64");
  const serverKey = createHmac("sha256", salted).update("Server Key").digest("base64");
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString("base64")}$${storedKey}:${serverKey}`;
}

/** A new strong password: 192 random bits, URL-safe so it embeds in connection strings as is. */
export function newPassword(): string {
  const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
  return randomBytes(24).toString("base64url");
}
