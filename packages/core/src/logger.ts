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

export interface LoggerOptions {
  name: string;
  level?: string;
  /**
   * Write stdout asynchronously: a line is written at once when no write is under way, and lines
   * logged meanwhile go out together in the next write (pino flushes what is left when the
   * process exits). The API logs a line per request; written one by one they were a twentieth of
   * a stack read's CPU. A process killed outright may lose the lines of its last write.
   */
  asyncWrites?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  return options.asyncWrites ? pino(settings, pino.destination({ dest: 1, sync: false })) : pino(settings);
}
