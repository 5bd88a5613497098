// The API's OpenAPI document exactly as a running API serves it at `/openapi.json`, without one:
// the app is built from the production kind registry and asked through inject(). Serving the
// document touches neither the database nor Redis, so an address nobody listens on will do (the
// event feed's listener retries quietly until the app closes).
import { buildApp } from "@gantry/api";
import { createLogger } from "@gantry/core";
import { createDb } from "@gantry/db";
import { registryFor } from "@gantry/stacks";

const NO_DATABASE = "postgresql://openapi@127.0.0.1:9/unused";

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = createDb(NO_DATABASE, { poolSize: 1 });
  const app = await buildApp({
    db,
    databaseUrl: NO_DATABASE,
    kinds: registryFor({ benchKinds: false }),
    readStackOutputs: async () => {
      throw new Error("not served while generating the OpenAPI document");
    },
    logger: createLogger({ name: "openapi", level: "silent" }),
  });
  try {
    const answer = await app.inject({ method: "GET", url: "/openapi.json" });
    if (answer.statusCode !== 200) {
      throw new Error(`/openapi.json answered ${answer.statusCode}: ${answer.body}`);
    }
    return answer.json();
  } finally {
    await app.close();
    await db.$disconnect();
  }
}
