// The one logger (pino). Redaction is the last line of defence: secrets should never reach a
// log call, but if one does under a known key it is censored.
import { type Logger, pino } from "pino";

export type { Logger };

const REDACT_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "headers.authorization",
  "connectionString",
  "*.connectionString",
  "databaseUrl",
  "*.databaseUrl",
  "passphrase",
  "*.passphrase",
];

export function createLogger(options: { name: string; level?: string }): Logger {
  return pino({
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  });
}
