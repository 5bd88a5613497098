// The rds-database kind: its spec and changes as the API sees them, and under Pulumi's mocks what
// it asks AWS for (a private, encrypted, TLS-only instance reachable only from its client group).
import { describe, expect, it } from "vitest";
import { getKind, listKinds, mergeSpec, parseSpec } from "../src/index.ts";
import { rdsIdentifier } from "../src/kinds/rds-database/index.ts";
import { NETWORK } from "./support/aws-fixtures.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { type MockedResource, resolved, runProgram } from "./support/program-mocks.ts";

const DEFAULTS = {
  engine: "postgres",
  engineVersion: "17",
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 20,
  multiAz: true,
  backupRetentionDays: 7,
  deletionProtection: true,
  databaseName: "app",
};

describe("rds-database spec", () => {
  it("fills in defaults, the newest version of the engine", () => {
    expect(parseSpec("rds-database", {})).toEqual({ ok: true, spec: DEFAULTS });
    expect(parseSpec("rds-database", { engine: "mysql" })).toEqual({
      ok: true,
      spec: { ...DEFAULTS, engine: "mysql", engineVersion: "8.4" },
    });
  });

  it("accepts a full spec", () => {
    const spec = {
      engine: "mysql",
      engineVersion: "8.0",
      instanceClass: "db.r7g.2xlarge",
      allocatedStorageGb: 100,
      maxAllocatedStorageGb: 100,
      multiAz: false,
      backupRetentionDays: 35,
      deletionProtection: false,
      databaseName: "orders_2",
    };
    expect(parseSpec("rds-database", spec)).toEqual({ ok: true, spec });
  });

  it.each([
    [{ engine: "oracle" }, "engine", "must be one of: postgres, mysql"],
    [{ engineVersion: "15" }, "engineVersion", "must be one of: 16, 17 (for postgres)"],
    [{ engineVersion: "8.4" }, "engineVersion", "must be one of: 16, 17 (for postgres)"],
    [{ engine: "mysql", engineVersion: "17" }, "engineVersion", "must be one of: 8.0, 8.4 (for mysql)"],
    [{ engineVersion: 17 }, "engineVersion", "must be a string"],
    [
      { instanceClass: "db.t3.micro" },
      "instanceClass",
      expect.stringMatching(/^must be one of: db\.t4g\.medium, /),
    ],
    [{ allocatedStorageGb: 19 }, "allocatedStorageGb", "must be at least 20"],
    [{ allocatedStorageGb: 65537 }, "allocatedStorageGb", "must be at most 65536"],
    [{ allocatedStorageGb: 20.5 }, "allocatedStorageGb", "must be a whole number"],
    [
      { allocatedStorageGb: 100, maxAllocatedStorageGb: 50 },
      "maxAllocatedStorageGb",
      "must be at least allocatedStorageGb (100)",
    ],
    [{ maxAllocatedStorageGb: 70000 }, "maxAllocatedStorageGb", "must be at most 65536"],
    [{ multiAz: "yes" }, "multiAz", "must be true or false"],
    [{ backupRetentionDays: 0 }, "backupRetentionDays", "must be at least 1"],
    [{ backupRetentionDays: 36 }, "backupRetentionDays", "must be at most 35"],
    [{ deletionProtection: 1 }, "deletionProtection", "must be true or false"],
    [
      { databaseName: "1app" },
      "databaseName",
      "must start with a lowercase letter and hold only a-z, 0-9 and _",
    ],
    [
      { databaseName: "my-app" },
      "databaseName",
      "must start with a lowercase letter and hold only a-z, 0-9 and _",
    ],
    [{ databaseName: `a${"b".repeat(63)}` }, "databaseName", "must have at most 63 characters"],
    [{ password: "hunter2" }, "password", "is not a known field"],
    [null, "", "must be an object"],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec("rds-database", input)).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("documents every field, at any depth, and parses its examples", () => {
    expectDocumentedSchema("rds-database");
  });

  it("publishes a JSON Schema of the input, depending on a network", () => {
    const summary = listKinds().find((kind) => kind.name === "rds-database");
    expect(summary?.dependsOn).toEqual(["network"]);
    const schema = summary?.specSchema as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...Object.keys(DEFAULTS), "maxAllocatedStorageGb"].sort(),
    );
    for (const property of Object.values(schema.properties)) expect(property.description).toBeTruthy();
  });
});

describe("rds-database spec changes (PATCH)", () => {
  const previous = { ...DEFAULTS, engineVersion: "16" };

  it("allows a one-step major upgrade and growing storage", () => {
    expect(mergeSpec("rds-database", previous, { engineVersion: "17", allocatedStorageGb: 50 })).toEqual({
      ok: true,
      spec: { ...previous, engineVersion: "17", allocatedStorageGb: 50 },
    });
  });

  it("refuses changing the engine", () => {
    expect(mergeSpec("rds-database", previous, { engine: "mysql", engineVersion: "8.4" })).toEqual({
      ok: false,
      issues: [
        {
          path: "engine",
          message: "cannot change from postgres to mysql; create a new stack and migrate the data",
        },
      ],
    });
  });

  it("refuses a major version downgrade", () => {
    expect(mergeSpec("rds-database", { ...DEFAULTS }, { engineVersion: "16" })).toEqual({
      ok: false,
      issues: [{ path: "engineVersion", message: "cannot go back from 17 to 16" }],
    });
    expect(
      mergeSpec(
        "rds-database",
        { ...DEFAULTS, engine: "mysql", engineVersion: "8.4" },
        { engineVersion: "8.0" },
      ),
    ).toEqual({ ok: false, issues: [{ path: "engineVersion", message: "cannot go back from 8.4 to 8.0" }] });
  });

  it("refuses shrinking storage and renaming the database", () => {
    expect(
      mergeSpec(
        "rds-database",
        { ...previous, allocatedStorageGb: 100 },
        { allocatedStorageGb: 50, databaseName: "x" },
      ),
    ).toEqual({
      ok: false,
      issues: [
        { path: "allocatedStorageGb", message: "cannot shrink from 100; RDS storage only grows" },
        { path: "databaseName", message: "cannot change from app (RDS would replace the instance)" },
      ],
    });
  });

  it("validates the version against the engine of the merged spec", () => {
    expect(mergeSpec("rds-database", previous, { engine: "mysql" })).toEqual({
      ok: false,
      issues: [{ path: "engineVersion", message: "must be one of: 8.0, 8.4 (for mysql)" }],
    });
  });
});

describe("rds-database dependencies", () => {
  const kind = getKind("rds-database");
  const spec = DEFAULTS;

  it("accepts exactly one network", () => {
    expect(kind?.validateDependencies?.(spec, [{ name: "net", kind: "network" }])).toEqual([]);
  });

  it("refuses no network and several networks", () => {
    expect(kind?.validateDependencies?.(spec, [])).toEqual([
      { path: "", message: "an rds-database needs one network stack in dependsOn" },
    ]);
    expect(
      kind?.validateDependencies?.(spec, [
        { name: "east", kind: "network" },
        { name: "west", kind: "network" },
      ]),
    ).toEqual([
      {
        path: "",
        message: "an rds-database needs exactly one network stack in dependsOn, not 2 (east, west)",
      },
    ]);
  });
});

describe("rds-database identifiers", () => {
  it.each([
    ["g_payments_demo_0123456789", "g-payments-demo-0123456789"],
    ["G__Odd__Name_", "g-odd-name"],
    ["9_lives", "lives"],
    [`g_${"a".repeat(70)}`, `g-${"a".repeat(61)}`],
  ])("%s → %s", (physical, identifier) => {
    expect(rdsIdentifier(physical)).toBe(identifier);
    expect(identifier).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*$/);
    expect(identifier.length).toBeLessThanOrEqual(63);
  });
});

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1";

function run(spec: Record<string, unknown>) {
  return runProgram("rds-database", spec, {
    dependencies: [NETWORK],
    state: (r: MockedResource) =>
      r.type === "aws:rds/instance:Instance"
        ? {
            address: "db.example",
            port: r.inputs.port,
            masterUserSecrets: [{ secretArn: SECRET_ARN, kmsKeyId: "k", secretStatus: "active" }],
          }
        : undefined,
  });
}

const INSTANCE = "aws:rds/instance:Instance";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

describe("rds-database program (mocked AWS)", () => {
  it("creates a private, encrypted, Multi-AZ, backed-up postgres instance", async () => {
    const result = await run({});
    const instance = result.one(INSTANCE).inputs;
    expect(instance).toMatchObject({
      identifier: expect.stringMatching(/^g-payments-demo-[0-9a-f]{10}$/),
      engine: "postgres",
      engineVersion: "17",
      instanceClass: "db.t4g.medium",
      allocatedStorage: 20,
      storageEncrypted: true,
      multiAz: true,
      backupRetentionPeriod: 7,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: expect.stringMatching(/^g-payments-demo-[0-9a-f]{10}-final$/),
      manageMasterUserPassword: true,
      publiclyAccessible: false,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      applyImmediately: false,
      port: 5432,
      dbName: "app",
      username: "gantry_admin",
    });
    expect(instance).not.toHaveProperty("password");
    expect(instance.maxAllocatedStorage).toBeUndefined();

    const subnetGroup = result.one("aws:rds/subnetGroup:SubnetGroup").inputs;
    expect(subnetGroup.subnetIds).toEqual(NETWORK.outputs.privateSubnetIds);
    expect(instance.dbSubnetGroupName).toBe(subnetGroup.name);
  });

  it("admits only the client security group, on the engine port", async () => {
    const result = await run({});
    const groups = result.ofType(SECURITY_GROUP);
    expect(groups.map((g) => g.name).sort()).toEqual(["client", "database"]);
    for (const group of groups) {
      expect(group.inputs.vpcId).toBe("vpc-0123");
      expect(group.inputs.ingress ?? []).toEqual([]);
    }
    expect(result.ofType("aws:ec2/securityGroupRule:SecurityGroupRule")).toEqual([]);
    const ingress = result.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.inputs).toMatchObject({
      securityGroupId: "database-id",
      referencedSecurityGroupId: "client-id",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
    });
    expect(ingress[0]?.inputs.cidrIpv4).toBeUndefined();
    expect(ingress[0]?.inputs.cidrIpv6).toBeUndefined();
    expect(result.one(INSTANCE).inputs.vpcSecurityGroupIds).toEqual(["database-id"]);
  });

  it("forces TLS through a postgres parameter group", async () => {
    const result = await run({ engineVersion: "16" });
    const parameters = result.one("aws:rds/parameterGroup:ParameterGroup").inputs;
    expect(parameters.family).toBe("postgres16");
    expect(parameters.parameters).toEqual([{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }]);
    expect(result.one(INSTANCE).inputs.parameterGroupName).toBe(parameters.name);
  });

  it("builds the mysql variant: port 3306, TLS required, autoscaled storage", async () => {
    const result = await run({
      engine: "mysql",
      engineVersion: "8.0",
      maxAllocatedStorageGb: 200,
      multiAz: false,
    });
    const instance = result.one(INSTANCE).inputs;
    expect(instance).toMatchObject({
      engine: "mysql",
      engineVersion: "8.0",
      port: 3306,
      multiAz: false,
      maxAllocatedStorage: 200,
      manageMasterUserPassword: true,
    });
    expect(instance).not.toHaveProperty("password");
    const parameters = result.one("aws:rds/parameterGroup:ParameterGroup").inputs;
    expect(parameters.family).toBe("mysql8.0");
    expect(parameters.name).toMatch(/-mysql8-0$/);
    expect(parameters.parameters).toEqual([
      { name: "require_secure_transport", value: "ON", applyMethod: "immediate" },
    ]);
    const ingress = result.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs;
    expect([ingress.fromPort, ingress.toPort]).toEqual([3306, 3306]);
    expect(result.outputs.port).toBe(3306);
  });

  it("tags every AWS resource with its stack", async () => {
    const result = await run({});
    const aws = result.resources.filter((r) => r.type.startsWith("aws:"));
    expect(aws.length).toBeGreaterThanOrEqual(6);
    for (const resource of aws) {
      expect(await resolved(resource.inputs.tags)).toMatchObject({
        "gantry:kind": "rds-database",
        "gantry:team": "payments",
        "gantry:stack": "demo",
        "managed-by": "gantry",
      });
    }
  });

  it("outputs the secret ARN and the security groups, never a password", async () => {
    const result = await run({});
    expect(result.outputs).toEqual({
      address: "db.example",
      port: 5432,
      engine: "postgres",
      engineVersion: "17",
      databaseName: "app",
      username: "gantry_admin",
      masterUserSecretArn: SECRET_ARN,
      securityGroupId: "database-id",
      clientSecurityGroupId: "client-id",
    });
    expect(result.secretOutputs).toEqual([]);
  });
});
