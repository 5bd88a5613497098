// Database bindings: what a workload learns from each database stack it binds. Plain facts become
// environment variables; the password stays a reference: the RDS-managed secret's ARN, or for a
// pg-database (whose password is a Pulumi secret) a secret store entry the data plane injects.
import * as pulumi from "@pulumi/pulumi";
import type { StackDependency } from "../../kind.ts";
import type { WorkloadSpec } from "./spec.ts";

export interface DatabaseBinding {
  envPrefix: string;
  stack: string;
  /** <prefix>_HOST, _PORT, _NAME, _USER. */
  environment: Record<string, pulumi.Output<string>>;
  /** Where the password is: an RDS-managed Secrets Manager secret (JSON with a `password` key), or a value to store. */
  password: { secretArn: pulumi.Output<string> } | { value: pulumi.Output<string> };
  /** Security group to join so the database admits the workload (RDS only). */
  securityGroupId?: pulumi.Output<string>;
}

const text = (value: unknown): pulumi.Output<string> =>
  (pulumi.output(value) as pulumi.Output<unknown>).apply((v) => String(v ?? ""));

export function databaseBindings(
  spec: Pick<WorkloadSpec, "databases">,
  dependencies: readonly StackDependency[],
): DatabaseBinding[] {
  return spec.databases.map((binding) => {
    const database = dependencies.find((dependency) => dependency.name === binding.stack);
    if (!database) throw new Error(`database binding "${binding.stack}" is not in dependsOn`);
    const out = database.outputs;
    const prefix = binding.envPrefix;
    if (database.kind === "rds-database")
      return {
        envPrefix: prefix,
        stack: binding.stack,
        environment: {
          [`${prefix}_HOST`]: text(out.address),
          [`${prefix}_PORT`]: text(out.port),
          [`${prefix}_NAME`]: text(out.databaseName),
          [`${prefix}_USER`]: text(out.username),
        },
        password: { secretArn: text(out.masterUserSecretArn) },
        securityGroupId: text(out.clientSecurityGroupId),
      };
    if (database.kind === "pg-database")
      return {
        envPrefix: prefix,
        stack: binding.stack,
        environment: {
          [`${prefix}_HOST`]: text(out.host),
          [`${prefix}_PORT`]: text(out.port),
          [`${prefix}_NAME`]: text(out.database),
          [`${prefix}_USER`]: text(out.username),
        },
        // A Pulumi secret from the stack reference: it stays encrypted in state and in transit.
        password: { value: pulumi.secret(text(out.password)) },
      };
    throw new Error(`"${binding.stack}" is a ${database.kind}, not a database`);
  });
}
