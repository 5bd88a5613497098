// rds-database apart from its program (index.ts): spec, outputs, refusals, engine environment.
import { awsEngineEnv } from "../../aws/platform.ts";
import { defineKindSpec } from "../../kind-spec.ts";
import { rdsDatabaseChangeIssues, rdsDatabaseSpec } from "./spec.ts";

const KIND = "rds-database";

export const rdsDatabaseDefinition = defineKindSpec({
  name: KIND,
  title: "RDS database",
  description:
    "A managed PostgreSQL or MySQL instance on Amazon RDS in a network stack's private subnets: " +
    "encrypted, Multi-AZ, backed up, TLS only, reachable only from workloads bound to it.",
  specSchema: rdsDatabaseSpec,
  dependsOn: ["network"],
  outputs: [
    { name: "address", description: "Host name of the instance.", secret: false },
    { name: "port", description: "Port of the instance.", secret: false },
    { name: "engine", description: "postgres or mysql.", secret: false },
    { name: "engineVersion", description: "Major engine version.", secret: false },
    { name: "databaseName", description: "Name of the database created in the instance.", secret: false },
    { name: "username", description: "Master user name.", secret: false },
    {
      name: "masterUserSecretArn",
      description: "ARN of the Secrets Manager secret RDS keeps the master password in.",
      secret: false,
    },
    { name: "securityGroupId", description: "Security group of the instance.", secret: false },
    {
      name: "clientSecurityGroupId",
      description: "Security group a workload attaches to reach the instance.",
      secret: false,
    },
  ],

  validateChange: rdsDatabaseChangeIssues,

  validateDependencies(_spec, dependencies) {
    const networks = dependencies.filter((dependency) => dependency.kind === "network");
    if (networks.length === 1) return [];
    return [
      {
        path: "",
        message:
          networks.length === 0
            ? "an rds-database needs one network stack in dependsOn"
            : `an rds-database needs exactly one network stack in dependsOn, not ${networks.length} ` +
              `(${networks.map((network) => network.name).join(", ")})`,
      },
    ];
  },

  /** The engine needs AWS_REGION and the AWS SDK credential variables (see aws/platform.ts). */
  engineEnv: awsEngineEnv,
  cloud: "aws",
});
