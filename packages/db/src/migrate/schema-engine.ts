// Prisma's own schema engine, in its WebAssembly build, over node-postgres. The native engine that
// `prisma migrate` downloads is unavailable here; this build ships in an npm package (a
// devDependency), so migrations are still authored by Prisma itself and tests can check that
// Gantry's migrator and Prisma's agree. Not used at run time: `migrate()` needs none of it.
import { readFile } from "node:fs/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { MIGRATIONS_DIR, type Migration, readMigrations, SCHEMA_PATH } from "./migrations.ts";

export type { SchemaEngine };

// Node's WebAssembly global; its types live in the DOM lib, which this Node-only project leaves out.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
};

let loaded: Promise<void> | undefined;

/** Instantiates the wasm module once per process (wasm-bindgen keeps it in module state). */
function load(): Promise<void> {
  loaded ??= (async () => {
    const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm"));
    const module = await WebAssembly.compile(await readFile(wasmUrl));
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

/**
 * Runs `fn` with an engine connected to `databaseUrl` and the current schema.prisma loaded.
 * Introspecting a live database through the driver adapter fails in this build (it cannot read
 * Postgres' internal "char" columns), so `diff` from a URL or from migrations (a shadow database)
 * is not available; applying migrations and diffing two datamodels work.
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  fn: (engine: SchemaEngine, schema: string) => Promise<T>,
  schemaPath = SCHEMA_PATH,
): Promise<T> {
  await load();
  const schema = await readFile(schemaPath, "utf8");
  // Our own pool, ended afterwards: freeing the engine leaves its connections open, and one of
  // them holds Prisma's migration advisory lock until it closes.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  try {
    const engine = await glue.SchemaEngine.new(
      { datamodels: [["schema.prisma", schema]] },
      () => {},
      adapter,
    );
    try {
      return await fn(engine, schema);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** The migrations directory in the shape the engine takes. */
export async function migrationList(dir = MIGRATIONS_DIR, migrations?: Migration[]): Promise<MigrationList> {
  const lockPath = `${dir}/migration_lock.toml`;
  const lockfile = await readFile(lockPath, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories: (migrations ?? (await readMigrations(dir))).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * The SQL Prisma generates to go from one schema to another (`from` undefined: from an empty
 * database). The engine insists on a connection but leaves the database untouched.
 */
export async function diffSchemas(
  databaseUrl: string,
  from: string | undefined,
  to: string,
): Promise<string> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const datamodel = (content: string) => ({
      tag: "schemaDatamodel" as const,
      files: [{ path: "schema.prisma", content }],
    });
    const result = await engine.diff({
      from: from === undefined ? { tag: "empty" } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}
