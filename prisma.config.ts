// Prisma CLI configuration: where the schema and migrations live. The URL is only read by
// commands that need a database (migrate deploy); `generate` works without one.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/gantry" },
});
