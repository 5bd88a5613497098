// The API process: configuration, database, app, listen; closes cleanly on SIGTERM/SIGINT.
import { createLogger } from "@gantry/core";
import { createDb } from "@gantry/db";
import { loadEngineSettings, readStackOutputs } from "@gantry/engine";
import { registryFor } from "@gantry/stacks";
import { buildApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { ServiceUnavailableError } from "./http/errors.ts";
import type { ReadStackOutputs } from "./outputs/outputs-service.ts";
import { loadPolicyFile } from "./policy/policy-schema.ts";

const config = loadConfig();
const logger = createLogger({ name: "gantry-api", level: config.logLevel });
const db = createDb(config.databaseUrl);

/**
 * Revealing secrets reads the Pulumi state, so it needs the engine's settings (state backend,
 * secrets provider). Without them the API still serves everything else, and reveals answer 503.
 */
function revealer(): ReadStackOutputs {
  try {
    const settings = loadEngineSettings();
    return (stack) => readStackOutputs(settings, stack, stack.spec);
  } catch (err) {
    const reason = (err as Error).message;
    logger.warn({ reason }, "secret outputs cannot be revealed: engine settings are incomplete");
    return async () => {
      throw new ServiceUnavailableError("revealing secrets is not configured on this server");
    };
  }
}

const policy = await loadPolicyFile(config.policyFile);
const app = await buildApp({
  db,
  databaseUrl: config.databaseUrl,
  kinds: registryFor({ benchKinds: config.benchKinds }),
  readStackOutputs: revealer(),
  secretInputKey: config.secretInputKey,
  consoleDir: config.consoleDir,
  logger,
  policy,
  bodyLimit: config.bodyLimit,
  rateLimit: config.rateLimit,
});
await app.listen({ port: config.port, host: config.host });
const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
logger.info(`Gantry API listening on http://${shownHost}:${config.port}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "API stopping");
  await app.close();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
