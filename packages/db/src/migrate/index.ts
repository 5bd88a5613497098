export { MIGRATIONS_DIR, type Migration, migrate, readMigrations } from "./migrate.ts";
