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
   * Write stdout in batches: lines are kept until 4 KiB have gathered or 200 ms have passed, then
   * written together, off the event loop (pino flushes what is left when the process exits). The
   * API logs a line per request; a write per line, even an asynchronous one, was a tenth of a
   * stack read's CPU. A process killed outright may lose its last 200 ms of lines.
   */
  asyncWrites?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  if (!options.asyncWrites) return pino(settings);
  return pino(settings, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 }));
}
