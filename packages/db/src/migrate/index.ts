export { ensureHistoryTable, PRISMA_MIGRATE_LOCK, readHistory } from "./history.ts";
export { type MigrateOptions, MigrationError, migrate, pendingMigrations } from "./migrate.ts";
export { checksum, MIGRATIONS_DIR, type Migration, readMigrations, SCHEMA_PATH } from "./migrations.ts";
export { realSchemaEngine } from "./prisma-cli.ts";
