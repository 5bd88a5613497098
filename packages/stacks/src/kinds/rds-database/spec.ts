// The spec of an rds-database stack, and the changes to it that RDS cannot make in place.
import { z } from "zod";
import type { SpecIssue } from "../../issues.ts";

/** Major versions per engine, oldest first; a major upgrade moves one step along the list. */
export const RDS_ENGINE_VERSIONS = {
  postgres: ["16", "17"],
  mysql: ["8.0", "8.4"],
} as const;
export type RdsEngine = keyof typeof RDS_ENGINE_VERSIONS;
export const RDS_ENGINES = Object.keys(RDS_ENGINE_VERSIONS) as RdsEngine[];

/** Graviton classes large enough for Performance Insights on both engines. */
export const RDS_INSTANCE_CLASSES = [
  "db.t4g.medium",
  "db.t4g.large",
  "db.t4g.xlarge",
  "db.t4g.2xlarge",
  "db.m7g.large",
  "db.m7g.xlarge",
  "db.m7g.2xlarge",
  "db.m7g.4xlarge",
  "db.m7g.8xlarge",
  "db.m7g.12xlarge",
  "db.m7g.16xlarge",
  "db.r7g.large",
  "db.r7g.xlarge",
  "db.r7g.2xlarge",
  "db.r7g.4xlarge",
  "db.r7g.8xlarge",
  "db.r7g.12xlarge",
  "db.r7g.16xlarge",
] as const;

const newest = (engine: RdsEngine): string => RDS_ENGINE_VERSIONS[engine].at(-1) as string;

export const rdsDatabaseSpec = z
  .strictObject({
    engine: z
      .enum(RDS_ENGINES as [RdsEngine, ...RdsEngine[]])
      .default("postgres")
      .describe("Database engine. Fixed once the stack exists.")
      .meta({ examples: ["postgres", "mysql"] }),
    engineVersion: z
      .string()
      .max(16)
      .optional()
      .describe(
        "Major engine version: postgres 16 or 17, mysql 8.0 or 8.4; the newest when omitted. Minor " +
          "versions are applied by RDS. Upgrades go one major version at a time, never back.",
      )
      .meta({ examples: ["17", "16"] }),
    instanceClass: z
      .enum(RDS_INSTANCE_CLASSES)
      .default("db.t4g.medium")
      .describe("Instance class (Graviton: burstable t4g, general purpose m7g, memory optimised r7g).")
      .meta({ examples: ["db.t4g.medium", "db.m7g.large"] }),
    allocatedStorageGb: z
      .int()
      .min(20)
      .max(65536)
      .default(20)
      .describe("Allocated gp3 storage in GiB. Storage can grow but never shrink.")
      .meta({ examples: [20, 100] }),
    maxAllocatedStorageGb: z
      .int()
      .min(20)
      .max(65536)
      .optional()
      .describe("Upper bound for storage autoscaling in GiB; no autoscaling when omitted.")
      .meta({ examples: [200] }),
    multiAz: z
      .boolean()
      .default(true)
      .describe("A synchronous standby in another availability zone, failed over to automatically.")
      .meta({ examples: [true] }),
    backupRetentionDays: z
      .int()
      .min(1)
      .max(35)
      .default(7)
      .describe("Days automated backups (point-in-time recovery) are kept.")
      .meta({ examples: [7, 35] }),
    deletionProtection: z
      .boolean()
      .default(true)
      .describe("Refuse to delete the instance; turn off before deleting the stack.")
      .meta({ examples: [true] }),
    databaseName: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "must start with a lowercase letter and hold only a-z, 0-9 and _")
      .max(63)
      .default("app")
      .describe("Name of the database created in the instance. Fixed once the stack exists.")
      .meta({ examples: ["app", "orders"] }),
  })
  .describe("A managed PostgreSQL or MySQL instance on Amazon RDS in a network stack's private subnets.")
  .meta({
    examples: [
      {},
      { engine: "mysql", engineVersion: "8.4", instanceClass: "db.m7g.large", allocatedStorageGb: 100 },
    ],
  })
  .superRefine((spec, ctx) => {
    const valid: readonly string[] | undefined = RDS_ENGINE_VERSIONS[spec.engine];
    if (valid && spec.engineVersion !== undefined && !valid.includes(spec.engineVersion)) {
      ctx.addIssue({
        code: "custom",
        path: ["engineVersion"],
        message: `must be one of: ${valid.join(", ")} (for ${spec.engine})`,
      });
    }
    if (spec.maxAllocatedStorageGb !== undefined && spec.maxAllocatedStorageGb < spec.allocatedStorageGb) {
      ctx.addIssue({
        code: "custom",
        path: ["maxAllocatedStorageGb"],
        message: `must be at least allocatedStorageGb (${spec.allocatedStorageGb})`,
      });
    }
  })
  .transform((spec) => ({ ...spec, engineVersion: spec.engineVersion ?? newest(spec.engine) }));

export type RdsDatabaseSpec = z.output<typeof rdsDatabaseSpec>;

/** Changes RDS cannot make in place, or cannot undo. Both specs are valid. */
export function rdsDatabaseChangeIssues(previous: RdsDatabaseSpec, next: RdsDatabaseSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (previous.engine !== next.engine) {
    issues.push({
      path: "engine",
      message: `cannot change from ${previous.engine} to ${next.engine}; create a new stack and migrate the data`,
    });
    return issues;
  }
  const versions: readonly string[] = RDS_ENGINE_VERSIONS[next.engine];
  const from = versions.indexOf(previous.engineVersion);
  const to = versions.indexOf(next.engineVersion);
  if (from >= 0 && to >= 0 && to < from) {
    issues.push({
      path: "engineVersion",
      message: `cannot go back from ${previous.engineVersion} to ${next.engineVersion}`,
    });
  } else if (from >= 0 && to - from > 1) {
    issues.push({
      path: "engineVersion",
      message: `must upgrade one major version at a time: from ${previous.engineVersion} to ${versions[from + 1]} first`,
    });
  }
  if (next.allocatedStorageGb < previous.allocatedStorageGb) {
    issues.push({
      path: "allocatedStorageGb",
      message: `cannot shrink from ${previous.allocatedStorageGb}; RDS storage only grows`,
    });
  }
  if (previous.databaseName !== next.databaseName) {
    issues.push({
      path: "databaseName",
      message: `cannot change from ${previous.databaseName} (RDS would replace the instance)`,
    });
  }
  return issues;
}
