// The eks-cluster kind: its spec and changes as the API sees them, and under Pulumi's mocks what it
// asks AWS for: private, encrypted, audited, one node group per zone with IMDSv2 hop limit 1,
// pinned add-ons; or Auto Mode; or Fargate.
import { describe, expect, it } from "vitest";
import { getKind, listKinds, mergeSpec, parseSpec } from "../src/index.ts";
import { isGravitonType } from "../src/kinds/eks-cluster/compute-spec.ts";
import { ADDON_VERSIONS } from "../src/kinds/eks-cluster/versions.ts";
import { NETWORK } from "./support/aws-fixtures.ts";
import { expectDocumentedSchema } from "./support/kind-schema.ts";
import { ACCOUNT_ID, type MockedResource, resolved, runProgram, ZONES } from "./support/program-mocks.ts";

const KIND = "eks-cluster";
const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ADDON = "aws:eks/addon:Addon";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE = "aws:iam/role:Role";
const ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";
const OIDC_ARN = `arn:aws:iam/openIdConnectProvider:us-east-1:${ACCOUNT_ID}:oidc`;
const ADMINS = "arn:aws:iam::123456789012:role/payments-admins";
const READERS = "arn:aws:iam::123456789012:role/payments-readers";

const DEFAULTS = {
  kubernetesVersion: "1.34",
  publicAccessCidrs: [],
  accessEntries: [],
  compute: {
    mode: "nodeGroups",
    architecture: "x86_64",
    amiFamily: "al2023",
    capacityType: "onDemand",
    minPerZone: 1,
    maxPerZone: 3,
    diskSizeGb: 50,
  },
  logRetentionDays: 90,
  deletionProtection: true,
};

describe("eks-cluster spec", () => {
  it("fills in defaults: newest version, private endpoint, node groups", () => {
    expect(parseSpec(KIND, {})).toEqual({ ok: true, spec: DEFAULTS });
    expect(parseSpec(KIND, { compute: { mode: "autoMode" } })).toEqual({
      ok: true,
      spec: { ...DEFAULTS, compute: { mode: "autoMode", nodePools: ["general-purpose", "system"] } },
    });
    expect(parseSpec(KIND, { compute: { mode: "fargate" } })).toEqual({
      ok: true,
      spec: { ...DEFAULTS, compute: { mode: "fargate", namespaces: ["default"] } },
    });
  });

  it("accepts Graviton Spot node groups, limited public access and namespaced access entries", () => {
    const spec = {
      ...DEFAULTS,
      kubernetesVersion: "1.31",
      publicAccessCidrs: ["203.0.113.0/24"],
      accessEntries: [
        { principalArn: ADMINS, access: "cluster-admin" },
        { principalArn: READERS, access: "view", namespaces: ["payments"] },
      ],
      compute: {
        ...DEFAULTS.compute,
        architecture: "arm64",
        amiFamily: "bottlerocket",
        capacityType: "spot",
        instanceTypes: ["m7g.large", "c7gn.large", "r8gd.xlarge"],
      },
      logRetentionDays: 365,
      network: { cidrBlock: "10.8.0.0/16", availabilityZones: 3, natGateways: "single" },
    };
    expect(parseSpec(KIND, spec)).toEqual({ ok: true, spec });
  });

  const arm = { mode: "nodeGroups", architecture: "arm64" };
  it.each([
    [{ kubernetesVersion: "1.30" }, "kubernetesVersion", "must be one of: 1.31, 1.32, 1.33, 1.34"],
    [{ kubernetesVersion: 1.33 }, "kubernetesVersion", "must be one of: 1.31, 1.32, 1.33, 1.34"],
    [
      { publicAccessCidrs: ["0.0.0.0/0"] },
      "publicAccessCidrs[0]",
      "must not be the whole internet (/0): name the ranges that need access",
    ],
    [
      { publicAccessCidrs: ["203.0.113.0"] },
      "publicAccessCidrs[0]",
      "must be an IPv4 CIDR block such as 203.0.113.0/24",
    ],
    [
      { accessEntries: [{ principalArn: "arn:aws:iam::123456789012:user/alice" }] },
      "accessEntries[0].principalArn",
      "must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admins",
    ],
    [
      { accessEntries: [{ principalArn: ADMINS, access: "root" }] },
      "accessEntries[0].access",
      "must be one of: cluster-admin, admin, edit, view",
    ],
    [
      { accessEntries: [{ principalArn: ADMINS }, { principalArn: ADMINS, access: "admin" }] },
      "accessEntries[1].principalArn",
      "is already in the list: one entry per role",
    ],
    [
      { accessEntries: [{ principalArn: ADMINS, access: "cluster-admin", namespaces: ["payments"] }] },
      "accessEntries[0].namespaces",
      "cluster-admin applies to the whole cluster; use admin to limit access to namespaces",
    ],
    [
      { accessEntries: [{ principalArn: ADMINS, namespaces: ["Payments"] }] },
      "accessEntries[0].namespaces[0]",
      "must be a Kubernetes namespace name",
    ],
    [{ compute: { mode: "karpenter" } }, "compute.mode", "must be one of: nodeGroups, autoMode, fargate"],
    [{ compute: {} }, "compute.mode", "must be one of: nodeGroups, autoMode, fargate"],
    [
      { compute: { ...arm, instanceTypes: ["m7i.large"] } },
      "compute.instanceTypes[0]",
      "m7i.large is an x86_64 type; arm64 nodes need Graviton types such as m7g.large",
    ],
    [
      { compute: { mode: "nodeGroups", instanceTypes: ["m7i.large", "m7g.large"] } },
      "compute.instanceTypes[1]",
      "m7g.large is an arm64 (Graviton) type; set architecture to arm64 or use x86_64 types such as m7i.large",
    ],
    [
      { compute: { mode: "nodeGroups", capacityType: "spot", instanceTypes: ["m7i.large"] } },
      "compute.instanceTypes",
      "Spot needs at least two instance types, so nodes can be replaced when one type runs out",
    ],
    [
      { compute: { mode: "nodeGroups", capacityType: "spot" } },
      "compute.instanceTypes",
      "Spot needs at least two instance types, so nodes can be replaced when one type runs out",
    ],
    [
      { compute: { mode: "nodeGroups", minPerZone: 4, maxPerZone: 3 } },
      "compute.minPerZone",
      "must be at most maxPerZone (3)",
    ],
    [
      { compute: { mode: "nodeGroups", instanceTypes: ["large"] } },
      "compute.instanceTypes[0]",
      "must be an EC2 instance type such as m7i.large",
    ],
    [
      { compute: { mode: "nodeGroups", amiFamily: "al2" } },
      "compute.amiFamily",
      "must be one of: al2023, bottlerocket",
    ],
    [{ compute: { mode: "nodeGroups", diskSizeGb: 10 } }, "compute.diskSizeGb", "must be at least 20"],
    [
      { compute: { mode: "autoMode", instanceTypes: ["m7i.large"] } },
      "compute.instanceTypes",
      "is not a known field",
    ],
    [{ compute: { mode: "fargate", namespaces: [] } }, "compute.namespaces", "must have at least 1 items"],
    [
      { logRetentionDays: 10 },
      "logRetentionDays",
      "must be one of: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [{ deletionProtection: "yes" }, "deletionProtection", "must be true or false"],
    [{ network: { availabilityZones: 1 } }, "network.availabilityZones", "must be at least 2"],
    [{ authenticationMode: "CONFIG_MAP" }, "authenticationMode", "is not a known field"],
  ])("refuses %j: %s %s", (input, path, message) => {
    expect(parseSpec(KIND, input)).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("tells Graviton instance types from x86_64 ones", () => {
    for (const type of [
      "m7g.large",
      "c7gn.xlarge",
      "r8gd.2xlarge",
      "t4g.medium",
      "im4gn.large",
      "x2gd.large",
    ])
      expect(isGravitonType(type), type).toBe(true);
    for (const type of ["m7i.large", "m7a.large", "g4dn.xlarge", "c6in.large", "m7i-flex.large", "t3.medium"])
      expect(isGravitonType(type), type).toBe(false);
  });

  it("publishes a JSON Schema with a description for every field and examples that parse", () => {
    const summary = listKinds().find((kind) => kind.name === KIND);
    expect(summary?.dependsOn).toEqual(["network"]);
    expect(summary?.outputs.filter((o) => o.secret).map((o) => o.name)).toEqual(["kubeconfig"]);
    expect(Object.keys(summary?.specSchema.properties as object).sort()).toEqual(
      [...Object.keys(DEFAULTS), "network"].sort(),
    );
    expectDocumentedSchema(KIND);
  });
});

describe("eks-cluster version changes (PATCH)", () => {
  const at = (kubernetesVersion: string) => ({ ...DEFAULTS, kubernetesVersion });

  it("allows one minor version up, and other changes at the same version", () => {
    expect(mergeSpec(KIND, at("1.32"), { kubernetesVersion: "1.33" })).toEqual({
      ok: true,
      spec: at("1.33"),
    });
    expect(mergeSpec(KIND, at("1.32"), { compute: { maxPerZone: 6 } })).toMatchObject({ ok: true });
  });

  it("refuses skipping a minor version, naming the next one", () => {
    expect(mergeSpec(KIND, at("1.31"), { kubernetesVersion: "1.33" })).toEqual({
      ok: false,
      issues: [
        {
          path: "kubernetesVersion",
          message:
            "must upgrade one minor version at a time: from 1.31 to 1.32 first (EKS upgrades the control " +
            "plane one minor version per update)",
        },
      ],
    });
  });

  it("refuses going back", () => {
    expect(mergeSpec(KIND, at("1.34"), { kubernetesVersion: "1.33" })).toEqual({
      ok: false,
      issues: [
        {
          path: "kubernetesVersion",
          message: "cannot go back from 1.34 to 1.33: EKS cannot downgrade a cluster",
        },
      ],
    });
  });
});

describe("eks-cluster dependencies", () => {
  const kind = getKind(KIND);
  const spec = parseSpec(KIND, {});
  const parsed = spec.ok ? spec.spec : {};

  it("takes no network (it builds its own) or one network", () => {
    expect(kind?.validateDependencies?.(parsed, [])).toEqual([]);
    expect(kind?.validateDependencies?.(parsed, [{ name: "net", kind: "network" }])).toEqual([]);
  });

  it("refuses two networks, and a network of its own next to a network stack", () => {
    expect(
      kind?.validateDependencies?.(parsed, [
        { name: "east", kind: "network" },
        { name: "west", kind: "network" },
      ]),
    ).toEqual([
      { path: "", message: "a eks-cluster takes at most one network stack in dependsOn, not 2 (east, west)" },
    ]);
    expect(
      kind?.validateDependencies?.({ ...parsed, network: { availabilityZones: 2 } }, [
        { name: "net", kind: "network" },
      ]),
    ).toEqual([
      {
        path: "network",
        message: 'must be left out: the stack is placed in network stack "net" from dependsOn',
      },
    ]);
  });
});

function run(spec: Record<string, unknown>, withNetwork = true) {
  return runProgram(KIND, spec, {
    dependencies: withNetwork ? [NETWORK] : [],
    state: (r: MockedResource) => {
      if (r.type === CLUSTER)
        return {
          endpoint: "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com",
          certificateAuthority: { data: "Q0EtREFUQQ==" },
          identities: [{ oidcs: [{ issuer: ISSUER }] }],
          vpcConfig: { ...r.inputs.vpcConfig, clusterSecurityGroupId: "sg-cluster" },
        };
      if (r.type === LAUNCH_TEMPLATE) return { latestVersion: 4 };
      return undefined;
    },
  });
}

type Run = Awaited<ReturnType<typeof run>>;
const addons = (result: Run) =>
  Object.fromEntries(result.ofType(ADDON).map((a) => [a.inputs.addonName, a.inputs]));
const policiesOf = (result: Run, role: string) =>
  result
    .ofType(ATTACHMENT)
    .filter((a) => a.inputs.role === role)
    .map((a) => String(a.inputs.policyArn).replace("arn:aws:iam::aws:policy/", ""))
    .sort();

describe("eks-cluster program: control plane (mocked AWS)", () => {
  it("pins the version, keeps the endpoint private, uses access entries, logs everything", async () => {
    const result = await run({});
    const cluster = result.one(CLUSTER).inputs;
    expect(cluster).toMatchObject({
      name: expect.stringMatching(/^g-payments-demo-[0-9a-f]{10}$/),
      version: "1.34",
      vpcConfig: {
        subnetIds: NETWORK.outputs.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      bootstrapSelfManagedAddons: false,
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: true,
      roleArn: expect.stringContaining("cluster-role"),
    });
    expect(cluster.vpcConfig.publicAccessCidrs).toBeUndefined();
    expect(cluster.computeConfig).toBeUndefined();
    const logs = result.one("aws:cloudwatch/logGroup:LogGroup").inputs;
    expect(logs).toMatchObject({ name: `/aws/eks/${cluster.name}/cluster`, retentionInDays: 90 });
  });

  it("encrypts secrets with its own rotating KMS key the control plane may use", async () => {
    const result = await run({});
    const key = result.one("aws:kms/key:Key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const keyArn = `arn:aws:kms/key:us-east-1:${ACCOUNT_ID}:${key.name}`;
    expect(result.one(CLUSTER).inputs.encryptionConfig).toEqual({
      provider: { keyArn },
      resources: ["secrets"],
    });
    const inline = result.one("aws:iam/rolePolicy:RolePolicy").inputs;
    expect(inline.role).toBe("cluster-role-id");
    expect(JSON.parse(inline.policy).Statement[0]).toMatchObject({
      Action: expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:CreateGrant"]),
      Resource: keyArn,
    });
    expect(policiesOf(result, "cluster-role")).toEqual([
      "AmazonEKSClusterPolicy",
      "AmazonEKSVPCResourceController",
    ]);
  });

  it("opens the public endpoint only to the given ranges", async () => {
    const result = await run({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
    expect(result.one(CLUSTER).inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });

  it("turns deletion protection off when asked and keeps logs as long as asked", async () => {
    const result = await run({ deletionProtection: false, logRetentionDays: 365 });
    expect(result.one(CLUSTER).inputs.deletionProtection).toBe(false);
    expect(result.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
  });

  it("creates an OIDC provider for IRSA from the cluster's issuer", async () => {
    const result = await run({});
    expect(result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs).toMatchObject({
      url: ISSUER,
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it("gives the team's roles access entries with their EKS access policies", async () => {
    const result = await run({
      accessEntries: [
        { principalArn: ADMINS, access: "cluster-admin" },
        { principalArn: READERS, access: "view", namespaces: ["payments", "shared"] },
      ],
    });
    const entries = result.ofType("aws:eks/accessEntry:AccessEntry");
    expect(entries.map((e) => [e.name, e.inputs.principalArn, e.inputs.type])).toEqual([
      ["access-payments-admins", ADMINS, "STANDARD"],
      ["access-payments-readers", READERS, "STANDARD"],
    ]);
    const policies = result.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    expect(policies.map((p) => p.inputs)).toEqual([
      expect.objectContaining({
        principalArn: ADMINS,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        accessScope: { type: "cluster" },
      }),
      expect.objectContaining({
        principalArn: READERS,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        accessScope: { type: "namespace", namespaces: ["payments", "shared"] },
      }),
    ]);
  });

  it("outputs what workloads need; the kubeconfig is secret and holds no credential", async () => {
    const result = await run({});
    const { kubeconfig, ...rest } = result.outputs;
    expect(rest).toEqual({
      clusterName: expect.stringMatching(/^g-payments-demo-/),
      endpoint: "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com",
      certificateAuthority: "Q0EtREFUQQ==",
      oidcIssuer: ISSUER,
      oidcProviderArn: OIDC_ARN,
      kubernetesVersion: "1.34",
      clusterSecurityGroupId: "sg-cluster",
      vpcId: "vpc-0123",
      zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      vpcCidrBlock: "10.0.0.0/16",
      availabilityZones: NETWORK.outputs.availabilityZones,
      privateSubnetIds: NETWORK.outputs.privateSubnetIds,
      publicSubnetIds: NETWORK.outputs.publicSubnetIds,
    });
    expect(result.secretOutputs).toEqual(["kubeconfig"]);
    const config = JSON.parse(kubeconfig as string);
    expect(config.clusters[0].cluster).toEqual({
      server: rest.endpoint,
      "certificate-authority-data": "Q0EtREFUQQ==",
    });
    expect(config.users[0].user).toEqual({
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          rest.clusterName,
          "--region",
          "us-east-1",
          "--output",
          "json",
        ],
        interactiveMode: "Never",
      },
    });
  });

  it("tags every AWS resource that takes tags with its stack", async () => {
    const result = await run({ accessEntries: [{ principalArn: ADMINS }] });
    const taggable = result.resources.filter(
      (r) =>
        r.type.startsWith("aws:") &&
        ![
          ATTACHMENT,
          "aws:iam/rolePolicy:RolePolicy",
          "aws:kms/alias:Alias",
          "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        ].includes(r.type),
    );
    expect(taggable.length).toBeGreaterThan(15);
    for (const resource of taggable)
      expect(await resolved(resource.inputs.tags), resource.name).toMatchObject({
        "gantry:kind": KIND,
        "gantry:stack": "demo",
        "managed-by": "gantry",
      });
  });
});

describe("eks-cluster program: networks", () => {
  it("is placed in its network stack and creates no VPC", async () => {
    const result = await run({});
    expect(result.ofType("aws:ec2/vpc:Vpc")).toEqual([]);
    expect(result.outputs.vpcId).toBe("vpc-0123");
  });

  it("builds a network of its own with the network kind's builder when dependsOn names none", async () => {
    const result = await run(
      { network: { cidrBlock: "10.8.0.0/16", availabilityZones: 2, natGateways: "single" } },
      false,
    );
    expect(result.one("aws:ec2/vpc:Vpc")).toMatchObject({
      name: "network-vpc",
      inputs: { cidrBlock: "10.8.0.0/16" },
    });
    expect(result.one("aws:ec2/natGateway:NatGateway").name).toBe(`network-nat-${ZONES[0]}`);
    const privateIds = ZONES.slice(0, 2).map((zone) => `network-private-${zone}-id`);
    expect(result.one(CLUSTER).inputs.vpcConfig.subnetIds).toEqual(privateIds);
    expect(result.ofType(NODE_GROUP).map((g) => g.inputs.subnetIds)).toEqual(privateIds.map((id) => [id]));
    expect(result.outputs).toMatchObject({ vpcId: "network-vpc-id", privateSubnetIds: privateIds });
    expect(result.one("aws:ec2/vpc:Vpc").inputs.tags["gantry:kind"]).toBe(KIND);
  });

  it("builds the default network when neither is given", async () => {
    const result = await run({}, false);
    expect(result.one("aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe("10.0.0.0/16");
    expect(result.ofType(NODE_GROUP)).toHaveLength(3);
    expect(result.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
  });
});

describe("eks-cluster program: managed node groups", () => {
  it("creates one node group per zone, each in that zone's private subnet, at the cluster's version", async () => {
    const result = await run({ kubernetesVersion: "1.33" });
    const groups = result.ofType(NODE_GROUP);
    expect(groups.map((g) => g.name)).toEqual(
      NETWORK.outputs.availabilityZones.map((zone) => `nodes-${zone}`),
    );
    expect(groups.map((g) => g.inputs.subnetIds)).toEqual(NETWORK.outputs.privateSubnetIds.map((id) => [id]));
    for (const group of groups)
      expect(group.inputs).toMatchObject({
        version: "1.33",
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: "ON_DEMAND",
        instanceTypes: ["m7i.large"],
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 1 },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: "nodes-id", version: "4" },
        nodeRepairConfig: { enabled: true },
        nodeRoleArn: expect.stringContaining("node-role"),
      });
    expect(policiesOf(result, "node-role")).toEqual([
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonEKSWorkerNodePolicy",
      "AmazonSSMManagedInstanceCore",
    ]);
  });

  it("enforces IMDSv2 with hop limit 1 and encrypted gp3 volumes through the launch template", async () => {
    const result = await run({ compute: { mode: "nodeGroups", diskSizeGb: 80 } });
    const template = result.one(LAUNCH_TEMPLATE).inputs;
    expect(template.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    expect(template.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 80, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      },
    ]);
    expect(template.imageId).toBeUndefined();
    expect(template.userData).toBeUndefined();
  });

  it("builds Graviton Spot Bottlerocket nodes", async () => {
    const result = await run({
      compute: {
        mode: "nodeGroups",
        architecture: "arm64",
        amiFamily: "bottlerocket",
        capacityType: "spot",
        instanceTypes: ["m7g.large", "m6g.large"],
        minPerZone: 0,
        maxPerZone: 5,
      },
    });
    for (const group of result.ofType(NODE_GROUP))
      expect(group.inputs).toMatchObject({
        amiType: "BOTTLEROCKET_ARM_64",
        capacityType: "SPOT",
        instanceTypes: ["m7g.large", "m6g.large"],
        scalingConfig: { minSize: 0, maxSize: 5, desiredSize: 1 },
      });
    expect(result.one(LAUNCH_TEMPLATE).inputs.blockDeviceMappings[0].deviceName).toBe("/dev/xvdb");
  });

  it("picks a Graviton type for arm64 when none is named", async () => {
    const result = await run({ compute: { mode: "nodeGroups", architecture: "arm64" } });
    for (const group of result.ofType(NODE_GROUP))
      expect(group.inputs).toMatchObject({ amiType: "AL2023_ARM_64_STANDARD", instanceTypes: ["m7g.large"] });
  });

  it("installs the managed add-ons at the versions pinned for the cluster's version", async () => {
    for (const version of ["1.31", "1.34"] as const) {
      const result = await run({ kubernetesVersion: version });
      const installed = addons(result);
      expect(Object.keys(installed).sort()).toEqual([
        "aws-ebs-csi-driver",
        "coredns",
        "eks-pod-identity-agent",
        "kube-proxy",
        "metrics-server",
        "vpc-cni",
      ]);
      for (const [name, inputs] of Object.entries(installed))
        expect(inputs, name).toMatchObject({
          addonVersion: ADDON_VERSIONS[version][name as keyof (typeof ADDON_VERSIONS)["1.31"]],
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
        });
    }
  });

  it("runs vpc-cni on an IRSA role and EBS CSI on Pod Identity", async () => {
    const result = await run({});
    const installed = addons(result);
    expect(installed["vpc-cni"]?.serviceAccountRoleArn).toContain("vpc-cni-role");
    expect(JSON.parse(installed["vpc-cni"]?.configurationValues)).toEqual({
      enableNetworkPolicy: "true",
      env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
    });
    const cniRole = result.ofType(ROLE).find((r) => r.name === "vpc-cni-role");
    const trust = JSON.parse(cniRole?.inputs.assumeRolePolicy).Statement[0];
    expect(trust).toEqual({
      Effect: "Allow",
      Principal: { Federated: OIDC_ARN },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF:aud": "sts.amazonaws.com",
          "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF:sub":
            "system:serviceaccount:kube-system:aws-node",
        },
      },
    });
    expect(policiesOf(result, "vpc-cni-role")).toEqual(["AmazonEKS_CNI_Policy"]);
    expect(installed["aws-ebs-csi-driver"]?.podIdentityAssociations).toEqual([
      { roleArn: expect.stringContaining("ebs-csi-role"), serviceAccount: "ebs-csi-controller-sa" },
    ]);
    const ebsRole = result.ofType(ROLE).find((r) => r.name === "ebs-csi-role");
    expect(JSON.parse(ebsRole?.inputs.assumeRolePolicy).Statement[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    expect(policiesOf(result, "ebs-csi-role")).toEqual(["AmazonEBSCSIDriverPolicy"]);
  });
});

describe("eks-cluster program: Auto Mode", () => {
  it("lets EKS run nodes, storage and load balancing, with no node groups and only metrics-server added", async () => {
    const result = await run({ compute: { mode: "autoMode", nodePools: ["general-purpose"] } });
    const cluster = result.one(CLUSTER).inputs;
    expect(cluster).toMatchObject({
      computeConfig: {
        enabled: true,
        nodePools: ["general-purpose"],
        nodeRoleArn: expect.stringContaining("node-role"),
      },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      storageConfig: { blockStorage: { enabled: true } },
      bootstrapSelfManagedAddons: false,
      accessConfig: { authenticationMode: "API" },
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    expect(result.ofType(NODE_GROUP)).toEqual([]);
    // Auto Mode runs networking, DNS, storage and Pod Identity itself; HPAs still need metrics.
    expect(Object.keys(addons(result))).toEqual(["metrics-server"]);
    expect(addons(result)["metrics-server"]?.addonVersion).toBe(ADDON_VERSIONS["1.34"]["metrics-server"]);
    expect(result.ofType(LAUNCH_TEMPLATE)).toEqual([]);
    expect(policiesOf(result, "cluster-role")).toEqual([
      "AmazonEKSBlockStoragePolicy",
      "AmazonEKSClusterPolicy",
      "AmazonEKSComputePolicy",
      "AmazonEKSLoadBalancingPolicy",
      "AmazonEKSNetworkingPolicy",
      "AmazonEKSVPCResourceController",
    ]);
    const clusterRole = result.ofType(ROLE).find((r) => r.name === "cluster-role");
    expect(JSON.parse(clusterRole?.inputs.assumeRolePolicy).Statement[0].Action).toEqual([
      "sts:AssumeRole",
      "sts:TagSession",
    ]);
    expect(policiesOf(result, "node-role")).toEqual([
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonEKSWorkerNodeMinimalPolicy",
    ]);
    const nodeAccess = result
      .ofType("aws:eks/accessEntry:AccessEntry")
      .find((e) => e.name === "auto-mode-nodes");
    expect(nodeAccess?.inputs).toMatchObject({
      type: "EC2",
      principalArn: expect.stringContaining("node-role"),
    });
    expect(
      result
        .ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
        .find((p) => p.name === "auto-mode-nodes")?.inputs.policyArn,
    ).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy");
    // Still encrypted, still audited.
    expect(cluster.encryptionConfig.resources).toEqual(["secrets"]);
    expect(cluster.enabledClusterLogTypes).toHaveLength(5);
  });
});

describe("eks-cluster program: Fargate", () => {
  it("runs kube-system and the spec's namespaces on Fargate in private subnets, CoreDNS included", async () => {
    const result = await run({ compute: { mode: "fargate", namespaces: ["default", "apps"] } });
    const profile = result.one("aws:eks/fargateProfile:FargateProfile").inputs;
    expect(profile).toMatchObject({
      subnetIds: NETWORK.outputs.privateSubnetIds,
      selectors: [{ namespace: "kube-system" }, { namespace: "default" }, { namespace: "apps" }],
      podExecutionRoleArn: expect.stringContaining("fargate-pod-role"),
    });
    expect(policiesOf(result, "fargate-pod-role")).toEqual(["AmazonEKSFargatePodExecutionRolePolicy"]);
    expect(result.ofType(NODE_GROUP)).toEqual([]);
    expect(result.ofType(LAUNCH_TEMPLATE)).toEqual([]);
    expect(result.ofType(ROLE).map((r) => r.name)).not.toContain("node-role");
    const installed = addons(result);
    // No DaemonSet-only add-ons: Fargate has no nodes for the Pod Identity agent, and no EBS.
    expect(Object.keys(installed).sort()).toEqual(["coredns", "kube-proxy", "metrics-server", "vpc-cni"]);
    expect(JSON.parse(installed.coredns?.configurationValues)).toEqual({ computeType: "Fargate" });
    expect(result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs.url).toBe(ISSUER);
  });
});
