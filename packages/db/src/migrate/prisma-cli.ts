// `prisma migrate deploy`, used where a real schema engine binary is configured. Setup points
// PRISMA_SCHEMA_ENGINE_BINARY at a stand-in (/bin/true) only for `prisma generate`; this checks
// that the binary is an engine before handing it a database.
import { execFile, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { readHistory } from "./history.ts";
import { MIGRATIONS_DIR } from "./migrations.ts";

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

/** The binary, if it answers `--version` as Prisma's schema engine does; otherwise undefined. */
export function realSchemaEngine(binary: string | undefined): string | undefined {
  if (!binary) return undefined;
  const probe = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return probe.status === 0 && probe.stdout.startsWith("schema-engine") ? binary : undefined;
}

export async function prismaMigrateDeploy(
  databaseUrl: string,
  options: { schemaEngineBinary: string },
): Promise<string[]> {
  const before = await appliedNames(databaseUrl);
  const cli = join(dirname(require.resolve("prisma/package.json")), "build/index.js");
  // prisma.config.ts (repository root) names the schema and migrations and reads DATABASE_URL.
  await execFileAsync(process.execPath, [cli, "migrate", "deploy"], {
    cwd: join(MIGRATIONS_DIR, "../.."),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: options.schemaEngineBinary,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  const after = await appliedNames(databaseUrl);
  return after.filter((name) => !before.includes(name));
}

async function appliedNames(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
    if (!exists.rows[0]?.exists) return [];
    return (await readHistory(client))
      .filter((r) => r.finished_at && !r.rolled_back_at)
      .map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}
