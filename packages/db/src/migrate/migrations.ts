// The migrations directory in Prisma's format: prisma/migrations/<timestamp>_<name>/migration.sql,
// applied in name order, each identified by the SHA-256 of its file (Prisma's checksum).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));

export interface Migration {
  /** The directory name, e.g. `20261123120000_init`; recorded as `migration_name`. */
  name: string;
  sql: string;
  /** Lowercase hex SHA-256 of the file's bytes, as Prisma stores it. */
  checksum: string;
}

export function checksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  // Prisma sorts directory names as plain strings; the timestamp prefix makes that chronological.
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksum(sql) };
    }),
  );
}
