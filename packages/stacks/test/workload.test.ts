// The workload kind: one container spec, validated once, placed on EKS (Kubernetes objects through
// a provider built from the cluster's kubeconfig) or on ECS Fargate by `target`, with database
// bindings that carry addresses and secret references, never passwords. Under Pulumi's mocks.
import { describe, expect, it } from "vitest";
import { getKind, listKinds, mergeSpec, parseSpec, specRegistryFor } from "../src/index.ts";
import { NETWORK } from "./support/aws-fixtures.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { type MockDependency, type MockedResource, resolved, runProgram } from "./support/program-mocks.ts";

const KIND = "workload";
const IMAGE = "public.ecr.aws/nginx/nginx:1.27";
const ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";
const RDS_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1";
const PG_PASSWORD = "pg-password-must-not-leak";
/** How Pulumi's mocks see an input that is a Pulumi secret. */
const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

const DEFAULTS = {
  target: "eks",
  image: IMAGE,
  cpu: 256,
  memory: 512,
  port: 8080,
  environment: {},
  replicas: 2,
  healthCheck: { path: "/healthz", initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
  databases: [],
  rolloutTimeoutSeconds: 600,
  logRetentionDays: 30,
};

const CLUSTER = {
  name: "prod-eks",
  kind: "eks-cluster",
  outputs: {
    clusterName: "g-payments-prod-eks",
    endpoint: "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com",
    certificateAuthority: "Q0E=",
    oidcIssuer: ISSUER,
    oidcProviderArn:
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF",
    kubernetesVersion: "1.34",
    clusterSecurityGroupId: "sg-cluster",
    vpcId: "vpc-eks",
    vpcCidrBlock: "10.20.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    zones: ["us-east-1a", "us-east-1b"],
    privateSubnetIds: ["subnet-eks-a", "subnet-eks-b"],
    publicSubnetIds: ["subnet-eks-pub-a", "subnet-eks-pub-b"],
    kubeconfig: '{"apiVersion":"v1","kind":"Config"}',
  },
};
const RDS = {
  name: "orders-db",
  kind: "rds-database",
  outputs: {
    address: "orders.abc.us-east-1.rds.amazonaws.com",
    port: 5432,
    engine: "postgres",
    engineVersion: "17",
    databaseName: "app",
    username: "gantry_admin",
    masterUserSecretArn: RDS_SECRET,
    securityGroupId: "sg-db",
    clientSecurityGroupId: "sg-db-client",
  },
};
const PG = {
  name: "cache-db",
  kind: "pg-database",
  outputs: {
    host: "pg.internal",
    port: 5432,
    database: "g_cache",
    username: "g_cache",
    password: PG_PASSWORD,
    connectionString: `postgresql://g_cache:${PG_PASSWORD}@pg.internal/g_cache`,
  },
};

describe("workload spec", () => {
  it("fills in defaults: EKS, two replicas, an HTTP health check", () => {
    expect(parseSpec(KIND, { image: IMAGE })).toEqual({ ok: true, spec: DEFAULTS });
  });

  it.each([
    [{ target: "lambda" }, "target", "must be one of: eks, ecs, kubernetes"],
    [{ memory: 8192 }, "memory", "with cpu 256 Fargate allows memory 512, 1024, 2048 (MiB)"],
    [{ replicas: 0 }, "replicas", "must be at least 1"],
    [
      { replicas: 3, autoscaling: { maxReplicas: 2 } },
      "autoscaling.maxReplicas",
      "must be at least replicas (3)",
    ],
    [{ autoscaling: {} }, "autoscaling.maxReplicas", "is required"],
    [{ healthCheck: { path: "healthz" } }, "healthCheck.path", "must be a path starting with /"],
    [{ healthCheck: { periodSeconds: 1 } }, "healthCheck.periodSeconds", "must be at least 5"],
    [{ ingress: { healthCheckPath: "/x" } }, "ingress.healthCheckPath", "is not a known field"],
    [{ ingress: { certificateArn: "x" } }, "ingress.certificateArn", "must be an ACM certificate ARN"],
    [{ namespace: "Payments" }, "namespace", "must be a Kubernetes namespace name"],
    [
      { databases: [{ stack: "orders-db", envPrefix: "db" }] },
      "databases[0].envPrefix",
      "must be upper case letters, digits and _, starting with a letter",
    ],
    [
      { databases: [{ stack: "a" }, { stack: "b" }] },
      "databases[1].envPrefix",
      "is already used by another binding",
    ],
    [
      { databases: [{ stack: "a" }, { stack: "a", envPrefix: "OTHER" }] },
      "databases[1].stack",
      "is already bound",
    ],
    [
      { databases: [{ stack: "a" }], environment: { DATABASE_HOST: "x" } },
      "environment.DATABASE_HOST",
      "clashes with database binding DATABASE (DATABASE_* are set from it)",
    ],
    [
      { environment: { STRIPE_API_KEY: "sk_live_x" } },
      "environment.STRIPE_API_KEY",
      "looks like a secret: specs are stored in plain text; bind a database or use a secret reference",
    ],
    [
      { image: "nginx:latest" },
      "image",
      "must name a version tag or digest, not latest, so every deployment runs the image asked for",
    ],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec(KIND, { image: IMAGE, ...input })).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("moves between data planes with a change of target alone", () => {
    expect(mergeSpec(KIND, DEFAULTS, { target: "ecs" })).toEqual({
      ok: true,
      spec: { ...DEFAULTS, target: "ecs" },
    });
    expect(mergeSpec(KIND, { ...DEFAULTS, target: "ecs" }, { target: "eks" })).toEqual({
      ok: true,
      spec: DEFAULTS,
    });
  });

  it("publishes a JSON Schema with a description for every field and examples that parse", () => {
    const summary = listKinds().find((kind) => kind.name === KIND);
    expect(summary?.dependsOn).toEqual([
      "eks-cluster",
      "kubernetes-cluster",
      "network",
      "rds-database",
      "pg-database",
    ]);
    expectDocumentedSchema(KIND, { image: IMAGE });
  });
});

describe("workload dependencies", () => {
  const check = (spec: Record<string, unknown>, dependencies: { name: string; kind: string }[]) => {
    const parsed = parseSpec(KIND, { image: IMAGE, ...spec });
    if (!parsed.ok) throw new Error("invalid spec");
    return getKind(KIND)?.validateDependencies?.(parsed.spec, dependencies);
  };

  it("needs an eks-cluster on EKS, and a network or a cluster on ECS", () => {
    expect(check({}, [{ name: "prod-eks", kind: "eks-cluster" }])).toEqual([]);
    expect(check({}, [{ name: "net", kind: "network" }])).toEqual([
      { path: "", message: "a workload with target eks needs an eks-cluster stack in dependsOn" },
    ]);
    expect(check({ target: "ecs" }, [{ name: "net", kind: "network" }])).toEqual([]);
    expect(check({ target: "ecs" }, [{ name: "prod-eks", kind: "eks-cluster" }])).toEqual([]);
    expect(check({ target: "ecs" }, [])).toEqual([
      {
        path: "",
        message:
          "a workload with target ecs needs a network stack, or an eks-cluster stack whose network it uses, in dependsOn",
      },
    ]);
    expect(
      check({}, [
        { name: "a", kind: "eks-cluster" },
        { name: "b", kind: "eks-cluster" },
      ]),
    ).toEqual([
      {
        path: "",
        message:
          "a workload takes at most one cluster (eks-cluster or kubernetes-cluster) stack in dependsOn, not 2 (a, b)",
      },
    ]);
  });

  it("uses only what its target needs, so a failed or unused dependency does not hold it back", () => {
    const registry = specRegistryFor({ benchKinds: false });
    const all = [
      { name: "prod-eks", kind: "eks-cluster" },
      { name: "local", kind: "kubernetes-cluster" },
      { name: "net", kind: "network" },
      { name: "orders", kind: "pg-database" },
      { name: "unbound", kind: "rds-database" },
    ];
    const inUse = (spec: Record<string, unknown>, dependencies = all) =>
      registry
        .dependenciesInUse(KIND, { image: IMAGE, ...spec }, dependencies)
        .map((dependency) => dependency.name);
    const databases = [{ stack: "orders", envPrefix: "ORDERS" }];
    expect(inUse({ databases })).toEqual(["prod-eks", "orders"]);
    expect(inUse({ target: "kubernetes" }, all.slice(1))).toEqual(["local"]);
    expect(inUse({ target: "ecs", databases })).toEqual(["net", "orders"]);
    // On ECS without a network stack: the eks-cluster's network.
    expect(inUse({ target: "ecs" }, all.slice(0, 2))).toEqual(["prod-eks"]);
    // A stored spec that no longer parses uses them all.
    expect(registry.dependenciesInUse(KIND, { target: "mars" }, all)).toEqual(all);
  });

  it("binds only database stacks it depends on", () => {
    const cluster = { name: "prod-eks", kind: "eks-cluster" };
    expect(
      check({ databases: [{ stack: "orders-db" }] }, [cluster, { name: "orders-db", kind: "rds-database" }]),
    ).toEqual([]);
    expect(check({ databases: [{ stack: "orders-db" }] }, [cluster])).toEqual([
      {
        path: "databases[0].stack",
        message: '"orders-db" is not an rds-database or pg-database stack in dependsOn',
      },
    ]);
    expect(check({ databases: [{ stack: "prod-eks" }] }, [cluster])).toEqual([
      {
        path: "databases[0].stack",
        message: '"prod-eks" is not an rds-database or pg-database stack in dependsOn',
      },
    ]);
  });
});

function run(spec: Record<string, unknown>, dependencies: MockDependency[] = [CLUSTER]) {
  return runProgram(
    KIND,
    { image: IMAGE, ...spec },
    {
      dependencies,
      stack: { name: "orders-api" },
      state: (r: MockedResource) => {
        if (r.type === "aws:lb/loadBalancer:LoadBalancer")
          return { dnsName: "orders-1.us-east-1.elb.amazonaws.com" };
        if (r.type === "kubernetes:networking.k8s.io/v1:Ingress")
          return {
            status: { loadBalancer: { ingress: [{ hostname: "k8s-orders.us-east-1.elb.amazonaws.com" }] } },
          };
        return undefined;
      },
    },
  );
}
type Run = Awaited<ReturnType<typeof run>>;
const container = (result: Run) => result.one(DEPLOYMENT).inputs.spec.template.spec.containers[0];
const kubernetes = (result: Run) => result.resources.filter((r) => r.type.startsWith("kubernetes:"));
const noPassword = async (result: Run) => {
  for (const resource of result.resources) {
    if (
      resource.type === "kubernetes:core/v1:Secret" ||
      resource.type === "aws:secretsmanager/secretVersion:SecretVersion"
    )
      continue;
    expect(JSON.stringify(await resolved(resource.inputs)), resource.name).not.toContain(PG_PASSWORD);
  }
};

describe("workload on EKS (mocked)", () => {
  it("deploys through a provider built from the cluster's secret kubeconfig", async () => {
    const result = await run({});
    const provider = result.one("pulumi:providers:kubernetes");
    expect(provider.inputs.kubeconfig).toEqual(secret(CLUSTER.outputs.kubeconfig));
    const objects = kubernetes(result);
    expect(objects.map((r) => r.type).sort()).toEqual([
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    for (const object of objects)
      expect(object.provider, object.name).toMatch(/pulumi:providers:kubernetes::cluster::/);
    expect(result.ofType("aws:ecs/service:Service")).toEqual([]);
  });

  it("spreads the replicas over zones, with probes, requests and a locked-down container", async () => {
    const result = await run({
      replicas: 3,
      cpu: 1024,
      memory: 2048,
      healthCheck: { path: "/ready", initialDelaySeconds: 20 },
    });
    const deployment = result.one(DEPLOYMENT).inputs;
    const labels = { "app.kubernetes.io/name": "orders-api", "app.kubernetes.io/managed-by": "gantry" };
    expect(deployment.metadata).toEqual({
      name: "orders-api",
      namespace: "default",
      labels,
      // Gantry takes its fields back from whoever changed them (Server-Side Apply conflicts).
      annotations: { "pulumi.com/patchForce": "true" },
    });
    expect(deployment.spec).toMatchObject({
      replicas: 3,
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } },
    });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe("orders-api");
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.topologySpreadConstraints[0]).toEqual({
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: labels },
    });
    const app = container(result);
    expect(app).toMatchObject({
      image: IMAGE,
      ports: [{ name: "http", containerPort: 8080 }],
      resources: { requests: { cpu: "1000m", memory: "2048Mi" }, limits: { memory: "2048Mi" } },
      readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { httpGet: { path: "/ready", port: 8080 }, initialDelaySeconds: 20 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    });
    expect(app.resources.limits.cpu).toBeUndefined();
    expect(result.one("kubernetes:core/v1:Service").inputs.spec).toMatchObject({
      type: "ClusterIP",
      selector: labels,
      ports: [{ name: "http", port: 80, targetPort: 8080 }],
    });
    expect(result.one("kubernetes:policy/v1:PodDisruptionBudget").inputs.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: labels },
    });
  });

  it("runs as an IRSA role only its service account may assume", async () => {
    const result = await run({ namespace: "payments" });
    const account = result.one("kubernetes:core/v1:ServiceAccount").inputs;
    expect(account.metadata.annotations).toEqual({
      "pulumi.com/patchForce": "true",
      "eks.amazonaws.com/role-arn": expect.stringContaining("workload-role"),
    });
    const role = result.one("aws:iam/role:Role").inputs;
    expect(JSON.parse(role.assumeRolePolicy).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Federated: CLUSTER.outputs.oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF:aud": "sts.amazonaws.com",
          "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF:sub":
            "system:serviceaccount:payments:orders-api",
        },
      },
    });
    expect(result.ofType("aws:iam/rolePolicy:RolePolicy")).toEqual([]);
    expect(result.outputs).toEqual({
      target: "eks",
      serviceName: "orders-api",
      roleArn: expect.stringContaining("workload-role"),
      url: "",
      namespace: "payments",
      serviceDnsName: "orders-api.payments.svc.cluster.local",
      readyReplicas: 0,
    });
  });

  it("autoscales with an HPA that owns the replica count", async () => {
    const result = await run({ replicas: 2, autoscaling: { maxReplicas: 8, targetCpuPercent: 70 } });
    // The HPA's field: Gantry never applies it, so Server-Side Apply leaves it to the HPA.
    expect(result.one(DEPLOYMENT).inputs.spec.replicas).toBeUndefined();
    expect(result.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-api" },
      minReplicas: 2,
      maxReplicas: 8,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    });
  });

  it("exposes itself through an ALB Ingress, HTTPS when given a certificate", async () => {
    const result = await run({
      ingress: { public: true, certificateArn: CERTIFICATE, allowedCidrs: ["203.0.113.0/24"] },
    });
    const ingress = result.one("kubernetes:networking.k8s.io/v1:Ingress").inputs;
    expect(ingress.spec.ingressClassName).toBe("alb");
    expect(ingress.spec.rules[0].http.paths[0]).toEqual({
      path: "/",
      pathType: "Prefix",
      backend: { service: { name: "orders-api", port: { name: "http" } } },
    });
    expect(ingress.metadata.annotations).toEqual({
      "pulumi.com/patchForce": "true",
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-path": "/healthz",
      "alb.ingress.kubernetes.io/success-codes": "200-399",
      "alb.ingress.kubernetes.io/inbound-cidrs": "203.0.113.0/24",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
      "alb.ingress.kubernetes.io/certificate-arn": CERTIFICATE,
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    expect(result.outputs.url).toBe("https://k8s-orders.us-east-1.elb.amazonaws.com");
  });

  it("binds an RDS database by address and secret ARN, joining its client security group", async () => {
    const result = await run({ databases: [{ stack: "orders-db" }] }, [CLUSTER, RDS]);
    const env = container(result).env;
    expect(env).toEqual([
      { name: "DATABASE_HOST", value: RDS.outputs.address },
      { name: "DATABASE_NAME", value: "app" },
      { name: "DATABASE_PORT", value: "5432" },
      { name: "DATABASE_USER", value: "gantry_admin" },
      { name: "DATABASE_SECRET_ARN", value: RDS_SECRET },
    ]);
    const policy = JSON.parse(result.one("aws:iam/rolePolicy:RolePolicy").inputs.policy);
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [RDS_SECRET] },
    ]);
    const sgp = result.one("kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy").inputs;
    expect(sgp.spec).toEqual({
      podSelector: {
        matchLabels: { "app.kubernetes.io/name": "orders-api", "app.kubernetes.io/managed-by": "gantry" },
      },
      securityGroups: { groupIds: ["sg-cluster", "sg-db-client"] },
    });
  });

  it("binds a pg-database through a Kubernetes secret; the password appears nowhere else", async () => {
    const result = await run({ databases: [{ stack: "cache-db", envPrefix: "CACHE" }] }, [CLUSTER, PG]);
    const passwords = result.one("kubernetes:core/v1:Secret").inputs;
    expect(passwords.metadata.name).toBe("orders-api-databases");
    expect(passwords.stringData).toEqual(secret({ CACHE_PASSWORD: PG_PASSWORD }));
    expect(container(result).env).toContainEqual({
      name: "CACHE_PASSWORD",
      valueFrom: { secretKeyRef: { name: "orders-api-databases", key: "CACHE_PASSWORD" } },
    });
    expect(container(result).env).toContainEqual({ name: "CACHE_HOST", value: "pg.internal" });
    expect(result.ofType("kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy")).toEqual([]);
    await noPassword(result);
  });
});

describe("workload on ECS (mocked)", () => {
  it("runs on Fargate in the eks-cluster's network when that is what it depends on", async () => {
    const result = await run({ target: "ecs", replicas: 3 });
    expect(kubernetes(result)).toEqual([]);
    expect(result.ofType("pulumi:providers:kubernetes")).toEqual([]);
    const service = result.one("aws:ecs/service:Service").inputs;
    expect(service).toMatchObject({
      desiredCount: 3,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      networkConfiguration: {
        subnets: CLUSTER.outputs.privateSubnetIds,
        assignPublicIp: false,
        securityGroups: ["service-id"],
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(result.one("aws:ec2/securityGroup:SecurityGroup").inputs.vpcId).toBe("vpc-eks");
    const task = result.one("aws:ecs/taskDefinition:TaskDefinition").inputs;
    expect(task).toMatchObject({ cpu: "256", memory: "512", runtimePlatform: { cpuArchitecture: "X86_64" } });
    expect(result.outputs).toEqual({
      target: "ecs",
      serviceName: expect.stringMatching(/^g-payments-orders-api-/),
      roleArn: expect.stringContaining("task-role"),
      url: "",
      namespace: "",
      serviceDnsName: "",
      readyReplicas: null,
    });
  });

  it("admits the cluster's VPC range to an internal load balancer in the cluster's network", async () => {
    const result = await run({ target: "ecs", ingress: {} });
    expect(result.one("aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({
      internal: true,
      subnets: CLUSTER.outputs.privateSubnetIds,
    });
    const rules = result.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(
      rules.filter((r) => r.inputs.securityGroupId === "load-balancer-id").map((r) => r.inputs.cidrIpv4),
    ).toEqual(["10.20.0.0/16"]);
  });

  it("fails clearly when the stack it takes its network from has no outputs yet", async () => {
    const empty = { ...CLUSTER, outputs: { ...CLUSTER.outputs, vpcCidrBlock: undefined } };
    await expect(run({ target: "ecs" }, [empty])).rejects.toThrow(
      'stack "prod-eks" has no vpcCidrBlock output; run an up on it first',
    );
  });

  it("prefers a network stack, and puts an ALB health-checking the workload's path in front", async () => {
    const result = await run(
      {
        target: "ecs",
        ingress: { public: true },
        healthCheck: { path: "/ready" },
        autoscaling: { maxReplicas: 6 },
      },
      [CLUSTER, NETWORK],
    );
    expect(result.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets).toEqual(
      NETWORK.outputs.privateSubnetIds,
    );
    expect(result.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets).toEqual(
      NETWORK.outputs.publicSubnetIds,
    );
    expect(result.one("aws:lb/targetGroup:TargetGroup").inputs.healthCheck.path).toBe("/ready");
    expect(result.one("aws:appautoscaling/target:Target").inputs).toMatchObject({
      minCapacity: 2,
      maxCapacity: 6,
    });
    expect(result.outputs.url).toBe("http://orders-1.us-east-1.elb.amazonaws.com");
  });

  it("injects an RDS password from its secret through ECS secrets, joining the client group", async () => {
    const result = await run({ target: "ecs", databases: [{ stack: "orders-db" }] }, [NETWORK, RDS]);
    const [app] = JSON.parse(result.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
    expect(app.environment).toEqual([
      { name: "DATABASE_HOST", value: RDS.outputs.address },
      { name: "DATABASE_NAME", value: "app" },
      { name: "DATABASE_PORT", value: "5432" },
      { name: "DATABASE_USER", value: "gantry_admin" },
    ]);
    expect(app.secrets).toEqual([{ name: "DATABASE_PASSWORD", valueFrom: `${RDS_SECRET}:password::` }]);
    const policy = result
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .find((p) => p.name === "execution-role-read-secrets");
    expect(JSON.parse(policy?.inputs.policy).Statement[0].Resource).toEqual([RDS_SECRET]);
    expect(result.one("aws:ecs/service:Service").inputs.networkConfiguration.securityGroups).toEqual([
      "service-id",
      "sg-db-client",
    ]);
  });

  it("keeps a pg-database password in Secrets Manager, referenced by ARN", async () => {
    const result = await run({ target: "ecs", databases: [{ stack: "cache-db" }] }, [NETWORK, PG]);
    const version = result.one("aws:secretsmanager/secretVersion:SecretVersion").inputs;
    expect(version.secretString).toEqual(secret(PG_PASSWORD));
    const secretArn = `arn:aws:secretsmanager/secret:us-east-1:123456789012:database-cache-db`;
    const [app] = JSON.parse(result.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
    expect(app.secrets).toEqual([{ name: "DATABASE_PASSWORD", valueFrom: secretArn }]);
    await noPassword(result);
  });
});

describe("workload with target kubernetes (mocked)", () => {
  const ATTACHED = {
    name: "local",
    kind: "kubernetes-cluster",
    outputs: {
      endpoint: "https://127.0.0.1:6443",
      kubernetesVersion: "v1.36.3",
      nodeCount: 3,
      zones: ["zone-a", "zone-b", "zone-c"],
      kubeconfig: '{"apiVersion":"v1","kind":"Config"}',
    },
  };

  it("needs a cluster stack of either kind, and owns its namespace", () => {
    const check = (spec: Record<string, unknown>, dependencies: { name: string; kind: string }[]) => {
      const parsed = parseSpec(KIND, { image: IMAGE, target: "kubernetes", ...spec });
      return parsed.ok ? getKind(KIND)?.validateDependencies?.(parsed.spec, dependencies) : parsed.issues;
    };
    expect(check({}, [ATTACHED])).toEqual([]);
    expect(check({}, [CLUSTER])).toEqual([]);
    expect(check({}, [])).toEqual([
      {
        path: "",
        message:
          "a workload with target kubernetes needs a cluster stack (eks-cluster or kubernetes-cluster) in dependsOn",
      },
    ]);
    expect(check({ namespace: "kube-system" }, [ATTACHED])).toEqual([
      {
        path: "namespace",
        message:
          "is the cluster's own: with target kubernetes the workload creates and deletes its namespace",
      },
    ]);
  });

  it("makes the shared objects in a namespace of its own, through the contract's kubeconfig", async () => {
    const result = await run({ target: "kubernetes", replicas: 3, databases: [{ stack: "cache-db" }] }, [
      ATTACHED,
      PG,
    ]);
    expect(result.one("pulumi:providers:kubernetes").inputs.kubeconfig).toEqual(
      secret(ATTACHED.outputs.kubeconfig),
    );
    expect(
      kubernetes(result)
        .map((r) => r.type)
        .sort(),
    ).toEqual([
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    const namespace = "payments-orders-api";
    expect(result.one("kubernetes:core/v1:Namespace").inputs.metadata).toMatchObject({
      name: namespace,
      annotations: { "pulumi.com/patchForce": "true" },
    });
    for (const object of kubernetes(result))
      expect(object.inputs.metadata.annotations?.["pulumi.com/patchForce"], object.type).toBe("true");
    expect(result.one("kubernetes:core/v1:Service").inputs.metadata.annotations).toMatchObject({
      "pulumi.com/skipAwait": "true",
    });
    expect(result.one(DEPLOYMENT).inputs.metadata.namespace).toBe(namespace);
    expect(result.ofType("aws:iam/role:Role")).toEqual([]);
    await noPassword(result);
    expect(result.outputs).toEqual({
      target: "kubernetes",
      serviceName: "orders-api",
      roleArn: "",
      url: "",
      namespace,
      serviceDnsName: `orders-api.${namespace}.svc.cluster.local`,
      readyReplicas: 0,
    });
  });

  it("moves to ECS with a PATCH of target when a network is among its dependencies", async () => {
    const spec = parseSpec(KIND, { image: IMAGE, target: "kubernetes" });
    if (!spec.ok) throw new Error("invalid spec");
    const moved = mergeSpec(KIND, spec.spec, { target: "ecs" });
    expect(moved).toEqual({ ok: true, spec: { ...spec.spec, target: "ecs" } });
    const result = await run({ target: "ecs" }, [ATTACHED, NETWORK]);
    expect(kubernetes(result)).toEqual([]);
    expect(result.ofType("aws:ecs/service:Service")).toHaveLength(1);
  });
});
