// The ecs-service kind: its spec as the API sees it (Fargate's size table, Spot and arm64, capacity
// shares), and under Pulumi's mocks what it asks AWS for: private tasks without public IPs, a
// security group admitting only what the spec names, circuit breaker with rollback, ALB, scaling.
import { describe, expect, it } from "vitest";
import { fargateMemories } from "../src/aws/fargate/sizes.ts";
import { TLS_POLICY } from "../src/aws/load-balancer.ts";
import { getKind, listKinds, parseSpec } from "../src/index.ts";
import { NETWORK } from "./support/aws-fixtures.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { type MockedResource, resolved, runProgram, ZONES } from "./support/program-mocks.ts";

const KIND = "ecs-service";
const IMAGE = "public.ecr.aws/nginx/nginx:1.27";
const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LISTENER = "aws:lb/listener:Listener";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

const DEFAULTS = {
  image: IMAGE,
  cpu: 256,
  memory: 512,
  architecture: "x86_64",
  port: 8080,
  environment: {},
  desiredCount: 2,
  capacityProviders: [{ provider: "FARGATE", weight: 1, base: 0 }],
  allowedCidrs: [],
  logRetentionDays: 30,
};

describe("ecs-service spec", () => {
  it("fills in defaults around the image", () => {
    expect(parseSpec(KIND, { image: IMAGE })).toEqual({ ok: true, spec: DEFAULTS });
  });

  it("accepts every cpu/memory pair of Fargate's table, and a Spot mix", () => {
    const pairs: [number, number][] = [
      [256, 2048],
      [512, 4096],
      [1024, 8192],
      [2048, 16384],
      [4096, 30720],
      [8192, 61440],
      [16384, 122880],
      [16384, 32768 + 8192],
    ];
    for (const [cpu, memory] of pairs)
      expect(parseSpec(KIND, { image: IMAGE, cpu, memory }).ok, `${cpu}/${memory}`).toBe(true);
    expect(fargateMemories(8192)).toEqual([
      16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440,
    ]);
    const spot = {
      ...DEFAULTS,
      capacityProviders: [
        { provider: "FARGATE", weight: 1, base: 2 },
        { provider: "FARGATE_SPOT", weight: 3, base: 0 },
      ],
    };
    expect(parseSpec(KIND, spot)).toEqual({ ok: true, spec: spot });
  });

  const spot = [{ provider: "FARGATE_SPOT", weight: 1 }];
  it.each([
    [{}, "image", "is required"],
    [
      { image: "nginx" },
      "image",
      "must be an image reference with a tag or digest, such as public.ecr.aws/nginx/nginx:1.27",
    ],
    [
      { image: "nginx:latest" },
      "image",
      "must name a version tag or digest, not latest, so every deployment runs the image asked for",
    ],
    [{ image: IMAGE, cpu: 300 }, "cpu", "must be one of: 256, 512, 1024, 2048, 4096, 8192, 16384"],
    [{ image: IMAGE, memory: 4096 }, "memory", "with cpu 256 Fargate allows memory 512, 1024, 2048 (MiB)"],
    [
      { image: IMAGE, cpu: 1024, memory: 1024 },
      "memory",
      "with cpu 1024 Fargate allows memory 2048 to 8192 in steps of 1024 (MiB)",
    ],
    [
      { image: IMAGE, cpu: 8192, memory: 17408 },
      "memory",
      "with cpu 8192 Fargate allows memory 16384 to 61440 in steps of 4096 (MiB)",
    ],
    [
      { image: IMAGE, architecture: "arm64", capacityProviders: spot },
      "capacityProviders[0].provider",
      "FARGATE_SPOT cannot run arm64 tasks: use FARGATE only, or architecture x86_64",
    ],
    [
      { image: IMAGE, capacityProviders: [{ provider: "FARGATE" }, { provider: "FARGATE" }] },
      "capacityProviders[1].provider",
      "FARGATE is already in the list",
    ],
    [
      { image: IMAGE, capacityProviders: [{ provider: "FARGATE", weight: 0 }] },
      "capacityProviders",
      "needs a provider with a weight above 0",
    ],
    [
      {
        image: IMAGE,
        capacityProviders: [
          { provider: "FARGATE", base: 1 },
          { provider: "FARGATE_SPOT", base: 1 },
        ],
      },
      "capacityProviders",
      "only one provider may have a base",
    ],
    [
      { image: IMAGE, capacityProviders: [{ provider: "EC2" }] },
      "capacityProviders[0].provider",
      "must be one of: FARGATE, FARGATE_SPOT",
    ],
    [{ image: IMAGE, capacityProviders: [] }, "capacityProviders", "must have at least 1 items"],
    [{ image: IMAGE, architecture: "x86" }, "architecture", "must be one of: x86_64, arm64"],
    [{ image: IMAGE, port: 80 }, "port", "must be at least 1024"],
    [
      { image: IMAGE, environment: { DB_PASSWORD: "hunter2" } },
      "environment.DB_PASSWORD",
      "looks like a secret: specs are stored in plain text; bind a database or use a secret reference",
    ],
    [
      { image: IMAGE, environment: { "LOG-LEVEL": "x" } },
      "environment.LOG-LEVEL",
      "is not an environment variable name (letters, digits, _)",
    ],
    [
      { image: IMAGE, allowedCidrs: ["0.0.0.0/0"] },
      "allowedCidrs[0]",
      "must not be the whole internet (/0): name the ranges that need access",
    ],
    [
      { image: IMAGE, autoscaling: { minCount: 5, maxCount: 3 } },
      "autoscaling.minCount",
      "must be at most maxCount (3)",
    ],
    [
      { image: IMAGE, autoscaling: { targetCpuPercent: 95 } },
      "autoscaling.targetCpuPercent",
      "must be at most 90",
    ],
    [
      { image: IMAGE, loadBalancer: { certificateArn: "cert" } },
      "loadBalancer.certificateArn",
      "must be an ACM certificate ARN",
    ],
    [
      { image: IMAGE, loadBalancer: { healthCheckPath: "healthz" } },
      "loadBalancer.healthCheckPath",
      "must be a path starting with /",
    ],
    [
      { image: IMAGE, logRetentionDays: 0 },
      "logRetentionDays",
      "must be one of: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [{ image: IMAGE, launchType: "EC2" }, "launchType", "is not a known field"],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec(KIND, input)).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("publishes a JSON Schema with a description for every field and examples that parse", () => {
    const summary = listKinds().find((kind) => kind.name === KIND);
    expect(summary?.dependsOn).toEqual(["network"]);
    expect(summary?.specSchema.required).toEqual(["image"]);
    expectDocumentedSchema(KIND, { image: IMAGE });
  });

  it("takes no network (it builds its own) or one, never two", () => {
    const kind = getKind(KIND);
    expect(kind?.validateDependencies?.(DEFAULTS, [])).toEqual([]);
    expect(kind?.validateDependencies?.(DEFAULTS, [{ name: "net", kind: "network" }])).toEqual([]);
    expect(
      kind?.validateDependencies?.(DEFAULTS, [
        { name: "a", kind: "network" },
        { name: "b", kind: "network" },
      ]),
    ).toEqual([
      { path: "", message: "a ecs-service takes at most one network stack in dependsOn, not 2 (a, b)" },
    ]);
  });
});

function run(spec: Record<string, unknown>, withNetwork = true) {
  return runProgram(
    KIND,
    { image: IMAGE, ...spec },
    {
      dependencies: withNetwork ? [NETWORK] : [],
      state: (r: MockedResource) =>
        r.type === "aws:lb/loadBalancer:LoadBalancer"
          ? { dnsName: "orders-123.us-east-1.elb.amazonaws.com" }
          : undefined,
    },
  );
}
type Run = Awaited<ReturnType<typeof run>>;
const rulesOf = (result: Run, group: string, type = INGRESS) =>
  result.ofType(type).filter((rule) => rule.inputs.securityGroupId === `${group}-id`);

describe("ecs-service program (mocked AWS)", () => {
  it("runs the service on Fargate in private subnets without public IPs, rolling back failed deployments", async () => {
    const result = await run({});
    const service = result.one(SERVICE).inputs;
    expect(service).toMatchObject({
      name: expect.stringMatching(/^g-payments-demo-[0-9a-f]{10}$/),
      cluster: expect.stringContaining("cluster"),
      taskDefinition: expect.stringContaining("task"),
      desiredCount: 2,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      networkConfiguration: {
        subnets: NETWORK.outputs.privateSubnetIds,
        assignPublicIp: false,
        securityGroups: ["service-id"],
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      propagateTags: "SERVICE",
      waitForSteadyState: true,
    });
    expect(service.launchType).toBeUndefined();
    expect(service.loadBalancers).toBeUndefined();
    expect(result.ofType("aws:ec2/vpc:Vpc")).toEqual([]);
    const cluster = result.one("aws:ecs/cluster:Cluster").inputs;
    expect(cluster.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    expect(
      result.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs.capacityProviders,
    ).toEqual(["FARGATE", "FARGATE_SPOT"]);
  });

  it("defines an x86_64 Fargate task with its own execution and task roles, logging with retention", async () => {
    const result = await run({
      cpu: 1024,
      memory: 3072,
      environment: { LOG_LEVEL: "info" },
      logRetentionDays: 90,
    });
    const task = result.one(TASK).inputs;
    expect(task).toMatchObject({
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "1024",
      memory: "3072",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: expect.stringContaining("execution-role"),
      taskRoleArn: expect.stringContaining("task-role"),
    });
    const [container] = JSON.parse(task.containerDefinitions);
    const logs = result.one("aws:cloudwatch/logGroup:LogGroup").inputs;
    expect(logs.retentionInDays).toBe(90);
    expect(container).toEqual({
      name: "app",
      image: IMAGE,
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      environment: [{ name: "LOG_LEVEL", value: "info" }],
      secrets: [],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": logs.name,
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "app",
        },
      },
    });
    const roles = result.ofType("aws:iam/role:Role");
    expect(roles.map((r) => r.name).sort()).toEqual(["execution-role", "task-role"]);
    for (const role of roles)
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0]).toEqual({
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      });
    const attachments = result.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => [a.inputs.role, a.inputs.policyArn])).toEqual([
      ["execution-role", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    ]);
    expect(result.ofType("aws:iam/rolePolicy:RolePolicy")).toEqual([]);
  });

  it("runs arm64 tasks, with a container health check", async () => {
    const result = await run({
      architecture: "arm64",
      healthCheckCommand: "curl -fs localhost:8080/healthz",
    });
    const task = result.one(TASK).inputs;
    expect(task.runtimePlatform.cpuArchitecture).toBe("ARM64");
    expect(JSON.parse(task.containerDefinitions)[0].healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -fs localhost:8080/healthz"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 30,
    });
  });

  it("mixes Fargate and Fargate Spot by base and weight", async () => {
    const result = await run({
      capacityProviders: [
        { provider: "FARGATE", weight: 1, base: 2 },
        { provider: "FARGATE_SPOT", weight: 3 },
      ],
    });
    expect(result.one(SERVICE).inputs.capacityProviderStrategies).toEqual([
      { capacityProvider: "FARGATE", weight: 1, base: 2 },
      { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
    ]);
  });

  it("admits nothing to the tasks by default, and only the named ranges when given", async () => {
    const closed = await run({});
    expect(rulesOf(closed, "service")).toEqual([]);
    expect(closed.one("aws:ec2/securityGroup:SecurityGroup").inputs).toMatchObject({ vpcId: "vpc-0123" });
    expect(closed.one("aws:ec2/securityGroup:SecurityGroup").inputs.ingress).toBeUndefined();
    const open = await run({ allowedCidrs: ["10.0.0.0/16", "192.168.1.0/24"] });
    expect(rulesOf(open, "service").map((r) => r.inputs)).toEqual([
      expect.objectContaining({ cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 8080, toPort: 8080 }),
      expect.objectContaining({
        cidrIpv4: "192.168.1.0/24",
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
      }),
    ]);
  });

  it("puts a public HTTPS load balancer in front, admitting the tasks' port only from it", async () => {
    const result = await run({
      loadBalancer: { public: true, certificateArn: CERTIFICATE, healthCheckPath: "/ready" },
    });
    const balancer = result.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    expect(balancer).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: NETWORK.outputs.publicSubnetIds,
      securityGroups: ["load-balancer-id"],
      dropInvalidHeaderFields: true,
    });
    expect(result.one("aws:lb/targetGroup:TargetGroup").inputs).toMatchObject({
      targetType: "ip",
      protocol: "HTTP",
      port: 8080,
      vpcId: "vpc-0123",
      healthCheck: { enabled: true, path: "/ready", matcher: "200-399" },
    });
    const listeners = Object.fromEntries(result.ofType(LISTENER).map((l) => [l.name, l.inputs]));
    expect(listeners.https).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: CERTIFICATE,
    });
    expect(listeners.https?.defaultActions).toEqual([
      { type: "forward", targetGroupArn: expect.stringContaining("targets") },
    ]);
    expect(listeners.http?.defaultActions).toEqual([
      { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
    ]);
    expect(rulesOf(result, "load-balancer").map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
      ["0.0.0.0/0", 80],
      ["0.0.0.0/0", 443],
    ]);
    expect(rulesOf(result, "load-balancer", EGRESS).map((r) => r.inputs)).toEqual([
      expect.objectContaining({ cidrIpv4: "10.0.0.0/16", fromPort: 8080, toPort: 8080 }),
    ]);
    expect(rulesOf(result, "service").map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        referencedSecurityGroupId: "load-balancer-id",
        fromPort: 8080,
        toPort: 8080,
      }),
    ]);
    const service = result.one(SERVICE).inputs;
    expect(service.loadBalancers).toEqual([
      { targetGroupArn: expect.stringContaining("targets"), containerName: "app", containerPort: 8080 },
    ]);
    expect(service.healthCheckGracePeriodSeconds).toBe(60);
    expect(result.outputs.url).toBe("https://orders-123.us-east-1.elb.amazonaws.com");
  });

  it("keeps an internal load balancer in the private subnets, open to the VPC's range", async () => {
    const result = await run({ loadBalancer: {} });
    expect(result.one("aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({
      internal: true,
      subnets: NETWORK.outputs.privateSubnetIds,
    });
    expect(rulesOf(result, "load-balancer").map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
      ["10.0.0.0/16", 80],
    ]);
    expect(result.ofType(LISTENER).map((l) => l.inputs.protocol)).toEqual(["HTTP"]);
    expect(result.outputs.url).toBe("http://orders-123.us-east-1.elb.amazonaws.com");
  });

  it("scales on CPU by target tracking, leaving the task count to it", async () => {
    const result = await run({ autoscaling: { minCount: 3, maxCount: 12, targetCpuPercent: 55 } });
    expect(result.one(SERVICE).inputs.desiredCount).toBe(3);
    expect(result.one("aws:appautoscaling/target:Target").inputs).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      minCapacity: 3,
      maxCapacity: 12,
    });
    const target = result.one("aws:appautoscaling/target:Target").inputs;
    expect(target.resourceId).toMatch(
      /^service\/g-payments-demo-[0-9a-f]{10}\/g-payments-demo-[0-9a-f]{10}$/,
    );
    expect(result.one("aws:appautoscaling/policy:Policy").inputs).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: 55,
      },
    });
  });

  it("builds a network of its own when dependsOn names none", async () => {
    const result = await run({ network: { availabilityZones: 2 } }, false);
    expect(result.one("aws:ec2/vpc:Vpc").name).toBe("network-vpc");
    expect(result.one(SERVICE).inputs.networkConfiguration.subnets).toEqual(
      ZONES.slice(0, 2).map((zone) => `network-private-${zone}-id`),
    );
  });

  it("outputs where to find it, none secret, and tags what it creates", async () => {
    const result = await run({});
    expect(result.outputs).toEqual({
      clusterName: expect.stringMatching(/^g-payments-demo-/),
      serviceName: expect.stringMatching(/^g-payments-demo-/),
      taskRoleArn: expect.stringContaining("task-role"),
      securityGroupId: "service-id",
      logGroupName: expect.stringMatching(/^\/gantry\/ecs\/g-payments-demo-/),
      url: "",
    });
    expect(result.secretOutputs).toEqual([]);
    const taggable = result.resources.filter(
      (r) =>
        r.type.startsWith("aws:") &&
        ![
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
        ].includes(r.type),
    );
    for (const resource of taggable)
      expect((await resolved(resource.inputs.tags))?.["gantry:kind"], resource.name).toBe(KIND);
  });
});
