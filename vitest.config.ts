// One test runner for the workspace. `npm test` runs setup first and passes its environment
// (database and Redis URLs, PATH with the pulumi CLI) down to every test process.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["apps/*/test/**/*.test.ts", "packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      GANTRY_TEST_PG_SERVER_URL: process.env.GANTRY_TEST_PG_SERVER_URL ?? process.env.GANTRY_PG_SERVER_URL ?? "",
    },
  },
});
