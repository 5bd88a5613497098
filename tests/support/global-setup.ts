// Vitest global setup: hands the environment `npm test` set up (database and Redis URLs, PATH
// with pulumi and Node ≥22, engine passphrase, the test Kubernetes' kubeconfig) to every test
// process, also when vitest is run directly after a setup; and drops the test databases and queue
// keys of runs that were killed.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readEnvFile } from "./env-file.ts";
import { startTestCluster } from "./kube.ts";
import { dropAbandonedTestDatabases } from "./test-database.ts";
import { dropAbandonedQueueKeys } from "./test-queues.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export default async function setup(): Promise<void> {
  const dataDir = resolve(ROOT, process.env.GANTRY_DATA_DIR ?? ".data");
  const file = join(dataDir, "env");
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: run the tests with \`npm test\` (or run \`npm run setup\` once first)`,
    );
  }
  const env = readEnvFile(file);
  // What the caller set wins (CI may point DATABASE_URL elsewhere); the file fills in the rest.
  for (const [name, value] of Object.entries(env)) {
    if (name !== "GANTRY_PATH_PREFIX" && process.env[name] === undefined) process.env[name] = value;
  }
  const prefix = env.GANTRY_PATH_PREFIX;
  if (prefix && !(process.env.PATH ?? "").startsWith(prefix))
    process.env.PATH = `${prefix}:${process.env.PATH ?? ""}`;
  // `npm test` started the cluster already; vitest run directly starts it here.
  process.env.GANTRY_TEST_KUBECONFIG ??= await startTestCluster();
  // Names this run's databases so a later run can tell whether their owner is gone.
  process.env.GANTRY_TEST_RUN = String(process.pid);
  await dropAbandonedTestDatabases();
  if (process.env.REDIS_URL) await dropAbandonedQueueKeys(process.env.REDIS_URL);
}
