// One test runner for the workspace: `npm test` runs setup, then this. Tests run the real thing
// (Postgres, Redis, the pulumi engine), so timeouts are generous and each file gets its own
// process; the global setup hands every test the environment setup wrote.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "apps/*/test/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "bench/test/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/.work/**", ".data/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
