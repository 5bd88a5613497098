// A Fargate task definition with its two roles and its log group. The execution role (ECS pulling
// the image, writing logs, reading the secrets it injects) is not the task role (what the app
// itself may do: nothing, until someone grants it).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readSecretsPolicy, role } from "../iam.ts";

export interface ContainerSecret {
  /** Environment variable the value lands in. */
  name: string;
  /** Secrets Manager ARN, optionally with `:json-key::` to pick one key of a JSON secret. */
  valueFrom: pulumi.Input<string>;
  /** ARN of the secret itself, which the execution role may read. */
  secretArn: pulumi.Input<string>;
}

export interface FargateTaskArgs {
  /** Family and log group name: the stack's physical name. */
  name: string;
  image: string;
  cpu: number;
  memory: number;
  port: number;
  architecture: "x86_64" | "arm64";
  environment: Record<string, pulumi.Input<string>>;
  secrets: ContainerSecret[];
  /** Shell command the container runs to report healthy (exit 0); none when undefined. */
  healthCheckCommand?: string | undefined;
  logRetentionDays: number;
  tags: Record<string, string>;
}

export interface FargateTask {
  taskDefinition: aws.ecs.TaskDefinition;
  taskRole: aws.iam.Role;
  executionRole: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
}

/** Trust of roles ECS tasks assume: only tasks of this account. */
function tasksTrust(): pulumi.Output<string> {
  return aws.getCallerIdentityOutput().accountId.apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}

export const CONTAINER_NAME = "app";

export function fargateTask(args: FargateTaskArgs): FargateTask {
  const { tags } = args;
  const logGroup = new aws.cloudwatch.LogGroup("logs", {
    name: `/gantry/ecs/${args.name}`,
    retentionInDays: args.logRetentionDays,
    tags,
  });
  const execution = role("execution-role", tasksTrust(), {
    policies: ["service-role/AmazonECSTaskExecutionRolePolicy"],
    inline:
      args.secrets.length > 0
        ? { "read-secrets": readSecretsPolicy(args.secrets.map((s) => s.secretArn)) }
        : {},
    tags,
  });
  const task = role("task-role", tasksTrust(), { tags });

  const region = aws.getRegionOutput().region;
  const containerDefinitions = pulumi
    .all([
      logGroup.name,
      region,
      pulumi.output(args.environment),
      pulumi.all(
        args.secrets.map((s) =>
          pulumi.output(s.valueFrom).apply((valueFrom) => ({ name: s.name, valueFrom })),
        ),
      ),
    ])
    .apply(([group, zone, environment, secrets]) =>
      JSON.stringify([
        {
          name: CONTAINER_NAME,
          image: args.image,
          essential: true,
          portMappings: [{ containerPort: args.port, protocol: "tcp" }],
          environment: Object.entries(environment)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
          secrets,
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": group,
              "awslogs-region": zone,
              "awslogs-stream-prefix": CONTAINER_NAME,
            },
          },
          ...(args.healthCheckCommand
            ? {
                healthCheck: {
                  command: ["CMD-SHELL", args.healthCheckCommand],
                  interval: 30,
                  timeout: 5,
                  retries: 3,
                  startPeriod: 30,
                },
              }
            : {}),
        },
      ]),
    );

  const taskDefinition = new aws.ecs.TaskDefinition(
    "task",
    {
      family: args.name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.cpu),
      memory: String(args.memory),
      runtimePlatform: {
        operatingSystemFamily: "LINUX",
        cpuArchitecture: args.architecture === "arm64" ? "ARM64" : "X86_64",
      },
      executionRoleArn: execution.role.arn,
      taskRoleArn: task.role.arn,
      containerDefinitions,
      tags,
    },
    { dependsOn: execution.grants },
  );
  return { taskDefinition, taskRole: task.role, executionRole: execution.role, logGroup };
}
