// One test runner for the workspace: `npm test` runs setup, then this. Tests run the real thing
// (Postgres, Redis, the pulumi engine), so timeouts are generous and each file gets its own
// process; the global setup hands every test the environment setup wrote.
//
// Most files spend their time waiting on engines, polls and leases, and each has its own database,
// queue prefix and data directory, so they run two at a time. A few run alone, after the rest:
// files that assert on timing (a schedule's spread, a retry's backoff), and the files that share the
// one local Kubernetes (its CRDs are cluster-wide, and a test restarts its API server).
import { defineConfig } from "vitest/config";
import { SlowFirst } from "./tests/support/slow-first.ts";

const ALONE = [
  "apps/worker/test/drift-schedule.test.ts",
  "apps/worker/test/retry.test.ts",
  "tests/e2e/kube-*.e2e.test.ts",
  "tests/e2e/kubernetes-*.e2e.test.ts",
  "tests/deploy/helm-chart.test.ts",
];

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/.work/**", ".data/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    // Guards against a hang, not a measure of speed: a test of real engines waits as long as its
    // operations take on a busy machine (gantry.finished waits up to 4 minutes for one).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    sequence: { sequencer: SlowFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "parallel",
          include: [
            "apps/*/test/**/*.test.ts",
            "packages/*/test/**/*.test.ts",
            "bench/test/**/*.test.ts",
            "tests/**/*.test.ts",
          ],
          exclude: ["**/node_modules/**", "**/.work/**", ".data/**", ...ALONE],
          maxWorkers: Number(process.env.GANTRY_TEST_WORKERS ?? 2),
        },
      },
      { extends: true, test: { name: "alone", include: ALONE, maxWorkers: 1 } },
    ],
  },
});
