// Vitest orders files by their last run's duration, longest first, so that two at a time finish
// together; a fresh clone (CI) has no last run, and vitest then takes the largest files first,
// which puts the longest (short files that loop over kills and cuts) last. These are the files
// that take minutes, longest first, as measured; the rest keep vitest's order after them.
import { BaseSequencer, type TestSpecification } from "vitest/node";

const LONGEST = [
  "tests/e2e/crash-recovery.e2e.test.ts",
  "tests/e2e/rollouts.e2e.test.ts",
  "tests/e2e/shutdown.e2e.test.ts",
  "tests/e2e/canary-secrets.e2e.test.ts",
  "tests/e2e/faults.e2e.test.ts",
  "tests/e2e/redis-outage.e2e.test.ts",
  "tests/e2e/operations.e2e.test.ts",
  "tests/e2e/approvals.e2e.test.ts",
  "tests/e2e/drift.e2e.test.ts",
  "tests/e2e/ephemeral.e2e.test.ts",
];

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST.findIndex((path) => spec.moduleId.endsWith(path));
      return index === -1 ? LONGEST.length : index;
    };
    // Array.prototype.sort is stable: vitest's order holds among equals.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
