// The API process: configuration, database, app, listen; closes cleanly on SIGTERM/SIGINT.
import { createLogger } from "@gantry/core";
import { startMetricsServer } from "@gantry/core/metrics";
import { createDb, readFleetFigures } from "@gantry/db";
import { loadEngineSettings, readStackOutputs } from "@gantry/engine";
import { specRegistryFor } from "@gantry/stacks/specs";
import { buildApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { ServiceUnavailableError } from "./http/errors.ts";
import { createApiMetrics } from "./metrics/api-metrics.ts";
import type { ReadStackOutputs } from "./outputs/outputs-service.ts";
import { loadPolicyFile } from "./policy/policy-schema.ts";

const config = loadConfig();
const logger = createLogger({ name: "gantry-api", level: config.logLevel, asyncWrites: true });
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

/** How long one read of the fleet's figures serves scrapes. */
const FLEET_FIGURES_CACHE_MS = 5_000;

const policy = await loadPolicyFile(config.policyFile);
const metrics = createApiMetrics({
  readFleetFigures: () => readFleetFigures(db),
  cacheMs: FLEET_FIGURES_CACHE_MS,
  onError: (err) => logger.warn({ err }, "metrics: could not read the fleet's figures"),
});
const app = await buildApp({
  db,
  databaseUrl: config.databaseUrl,
  kinds: specRegistryFor({ benchKinds: config.benchKinds }),
  readStackOutputs: revealer(),
  secretInputKey: config.secretInputKey,
  consoleDir: config.consoleDir,
  logger,
  policy,
  bodyLimit: config.bodyLimit,
  rateLimit: config.rateLimit,
  metrics,
});
await app.listen({ port: config.port, host: config.host });
// PORT=0 takes any free port; the one taken is the one shown (tests start APIs that way).
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : config.port;
const shown = (host: string) => (host.includes(":") ? `[${host}]` : host);
const metricsServer = config.metrics
  ? await startMetricsServer(metrics.registry, {
      ...config.metrics,
      onError: (err) => logger.warn({ err }, "metrics could not be collected"),
    })
  : undefined;
if (config.metrics && metricsServer)
  logger.info(`Gantry API metrics on http://${shown(config.metrics.host)}:${metricsServer.port}/metrics`);
logger.info(`Gantry API listening on http://${shown(config.host)}:${port}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "API stopping");
  await app.close();
  await metricsServer?.close();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
