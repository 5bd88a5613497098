// A managed PostgreSQL or MySQL instance on RDS, in the private subnets of one network stack.
// Reachable only from the "client" security group that bound workloads attach; TLS is forced and
// the master password lives in Secrets Manager (managed by RDS), never in a spec, state or output.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackTags } from "../../aws/tags.ts";
import { dependenciesOfKind, dependencyOfKind } from "../../dependencies.ts";
import { defineKind } from "../../kind.ts";
import { rdsDatabaseDefinition } from "./definition.ts";
import type { RdsEngine } from "./spec.ts";

const KIND = "rds-database";
/** The master user; "postgres" and "admin" are reserved by RDS on one engine or the other. */
const MASTER_USERNAME = "gantry_admin";

const ENGINE: Record<
  RdsEngine,
  { port: number; family: (major: string) => string; tls: { name: string; value: string }; logs: string[] }
> = {
  postgres: {
    port: 5432,
    family: (major) => `postgres${major}`,
    tls: { name: "rds.force_ssl", value: "1" },
    logs: ["postgresql", "upgrade"],
  },
  mysql: {
    port: 3306,
    family: (major) => `mysql${major}`,
    tls: { name: "require_secure_transport", value: "ON" },
    logs: ["error", "slowquery"],
  },
};

/** A valid RDS identifier from a physical name: lower case, letters, digits and single hyphens, ≤63. */
export function rdsIdentifier(physicalName: string): string {
  const name = physicalName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return name || "gantry";
}

export const rdsDatabase = defineKind({
  ...rdsDatabaseDefinition,

  async program(context) {
    const { spec } = context;
    const network = dependencyOfKind(context, "network");
    if (!network || dependenciesOfKind(context, "network").length > 1)
      throw new Error("an rds-database needs exactly one network stack in dependsOn");
    const vpcId = pulumi.output(network.outputs.vpcId as pulumi.Input<string>);
    const privateSubnetIds = pulumi.output(network.outputs.privateSubnetIds as pulumi.Input<string[]>);

    const engine = ENGINE[spec.engine];
    const identifier = rdsIdentifier(context.physicalName);
    const tags = stackTags(context, KIND);

    const subnetGroup = new aws.rds.SubnetGroup("subnets", {
      name: identifier,
      description: `Private subnets of ${identifier}`,
      subnetIds: privateSubnetIds,
      tags,
    });

    const clientGroup = new aws.ec2.SecurityGroup("client", {
      name: `${identifier}-client`,
      description: `Workloads allowed to reach ${identifier}`,
      vpcId,
      tags,
    });
    // No inline rules and no egress: the only way in is from the client group, on the engine port.
    const databaseGroup = new aws.ec2.SecurityGroup("database", {
      name: `${identifier}-db`,
      description: `RDS instance ${identifier}`,
      vpcId,
      tags,
    });
    new aws.vpc.SecurityGroupIngressRule("database-from-client", {
      securityGroupId: databaseGroup.id,
      referencedSecurityGroupId: clientGroup.id,
      ipProtocol: "tcp",
      fromPort: engine.port,
      toPort: engine.port,
      description: `${spec.engine} from bound workloads`,
      tags,
    });
    new aws.vpc.SecurityGroupEgressRule("client-to-database", {
      securityGroupId: clientGroup.id,
      referencedSecurityGroupId: databaseGroup.id,
      ipProtocol: "tcp",
      fromPort: engine.port,
      toPort: engine.port,
      description: `${spec.engine} to ${identifier}`,
      tags,
    });

    // The family is in the name so a major upgrade creates the new group before the old one goes.
    const family = engine.family(spec.engineVersion);
    const parameterGroup = new aws.rds.ParameterGroup("parameters", {
      name: `${identifier}-${family.replace(/\./g, "-")}`,
      family,
      description: `TLS-only ${spec.engine} ${spec.engineVersion} for ${identifier}`,
      parameters: [{ name: engine.tls.name, value: engine.tls.value, applyMethod: "immediate" }],
      tags,
    });

    const instance = new aws.rds.Instance("instance", {
      identifier,
      engine: spec.engine,
      engineVersion: spec.engineVersion,
      // validateChange allows one major step at a time; RDS refuses major upgrades without this.
      allowMajorVersionUpgrade: true,
      autoMinorVersionUpgrade: true,
      instanceClass: spec.instanceClass,
      allocatedStorage: spec.allocatedStorageGb,
      maxAllocatedStorage: spec.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      multiAz: spec.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [databaseGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      port: engine.port,
      dbName: spec.databaseName,
      username: MASTER_USERNAME,
      manageMasterUserPassword: true,
      backupRetentionPeriod: spec.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: spec.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      enabledCloudwatchLogsExports: engine.logs,
      // Changes wait for the maintenance window rather than restarting the instance mid-day.
      applyImmediately: false,
      tags,
    });

    return {
      address: instance.address,
      port: instance.port,
      engine: instance.engine,
      engineVersion: instance.engineVersion,
      databaseName: instance.dbName,
      username: instance.username,
      masterUserSecretArn: instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn),
      securityGroupId: databaseGroup.id,
      clientSecurityGroupId: clientGroup.id,
    };
  },
});
