// API tokens: 32 random bytes behind a recognisable prefix. Only the SHA-256 is stored; the first
// characters are kept in clear so people can tell tokens apart in listings and audit entries.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "gnt_";
const TOKEN_SHAPE = /^gnt_[A-Za-z0-9_-]{43}$/;
const DISPLAY_LENGTH = 12;

export interface NewToken {
  token: string;
  hash: string;
  prefix: string;
}

export function generateToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token), prefix: displayPrefix(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_LENGTH);
}

/** Cheap shape check before any database lookup. */
export function looksLikeToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}
