// A workload on the eks-cluster it depends on, through @pulumi/kubernetes with a provider built
// from the cluster's kubeconfig (a secret output, read through the stack reference): Deployment
// spread over zones with probes and resource requests, Service, PodDisruptionBudget, HPA, a
// service account with an IRSA role, optional ALB Ingress, and for RDS bindings a
// SecurityGroupPolicy so the pods join the database's client security group.
import * as pulumi from "@pulumi/pulumi";
import { irsaTrust, readSecretsPolicy, role } from "../../aws/iam.ts";
import { dependencyOfKind } from "../../dependencies.ts";
import type { ProgramContext } from "../../kind.ts";
import type { DatabaseBinding } from "./bindings.ts";
import { databaseAccess } from "./eks-databases.ts";
import { albIngress } from "./eks-ingress.ts";
import type { WorkloadObjects } from "./eks-objects.ts";
import type { PlacedWorkload } from "./placed.ts";
import type { WorkloadSpec } from "./spec.ts";

export async function eksWorkload(
  context: ProgramContext<WorkloadSpec>,
  bindings: DatabaseBinding[],
  tags: Record<string, string>,
): Promise<PlacedWorkload> {
  // Loaded here, not at the top: every engine process imports the kind registry, and only this
  // path needs the (large) Kubernetes SDK.
  const k8s = await import("@pulumi/kubernetes");
  const { spec } = context;
  const cluster = dependencyOfKind(context, "eks-cluster");
  if (!cluster) throw new Error("a workload with target eks needs an eks-cluster stack in dependsOn");
  const out = cluster.outputs;
  const provider = new k8s.Provider("cluster", {
    kubeconfig: pulumi.output(out.kubeconfig as pulumi.Input<string>),
    enableServerSideApply: true,
  });
  const opts = { provider };
  const name = context.stack.name;
  const namespace = spec.namespace;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "gantry" };
  const metadata = { name, namespace, labels };
  const objects: WorkloadObjects = { k8s, opts, name, labels, metadata };

  // IRSA: only this service account may assume the role; it may read the bound RDS secrets.
  const rdsSecrets = bindings.flatMap((b) => ("secretArn" in b.password ? [b.password.secretArn] : []));
  const irsa = role(
    "workload-role",
    irsaTrust(
      out.oidcProviderArn as pulumi.Input<string>,
      out.oidcIssuer as pulumi.Input<string>,
      namespace,
      name,
    ),
    { inline: rdsSecrets.length > 0 ? { "read-database-secrets": readSecretsPolicy(rdsSecrets) } : {}, tags },
  );
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    "service-account",
    { metadata: { ...metadata, annotations: { "eks.amazonaws.com/role-arn": irsa.role.arn } } },
    opts,
  );

  const access = databaseAccess(objects, bindings, out.clusterSecurityGroupId as pulumi.Input<string>);
  const environment = [
    ...Object.entries(spec.environment).map(([key, value]) => ({ name: key, value: pulumi.output(value) })),
    ...access.plain,
  ].sort((a, b) => a.name.localeCompare(b.name));
  const references = access.references;

  const probe = {
    httpGet: { path: spec.healthCheck.path, port: spec.port },
    periodSeconds: spec.healthCheck.periodSeconds,
    failureThreshold: spec.healthCheck.failureThreshold,
  };
  const cpu = `${Math.round((spec.cpu / 1024) * 1000)}m`;
  const memory = `${spec.memory}Mi`;
  const deployment = new k8s.apps.v1.Deployment(
    "deployment",
    {
      metadata,
      spec: {
        // The HPA owns the count when autoscaling; Gantry would otherwise reset it on every run.
        ...(spec.autoscaling ? {} : { replicas: spec.replicas }),
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: labels },
              },
              {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name: "app",
                image: spec.image,
                ports: [{ name: "http", containerPort: spec.port }],
                env: [...environment, ...references],
                // CPU is requested, not limited (throttling hurts latency); memory is both.
                resources: { requests: { cpu, memory }, limits: { memory } },
                readinessProbe: { ...probe, initialDelaySeconds: 0 },
                livenessProbe: { ...probe, initialDelaySeconds: spec.healthCheck.initialDelaySeconds },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: access.dependsOn },
  );
  const service = new k8s.core.v1.Service(
    "service",
    {
      metadata,
      spec: {
        type: "ClusterIP",
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: spec.port }],
      },
    },
    opts,
  );
  new k8s.policy.v1.PodDisruptionBudget(
    "disruption-budget",
    { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    opts,
  );
  if (spec.autoscaling)
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      "autoscaler",
      {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
          minReplicas: spec.replicas,
          maxReplicas: spec.autoscaling.maxReplicas,
          metrics: [
            {
              type: "Resource",
              resource: {
                name: "cpu",
                target: { type: "Utilization", averageUtilization: spec.autoscaling.targetCpuPercent },
              },
            },
          ],
        },
      },
      opts,
    );

  const url = albIngress(objects, spec, service.metadata.name);
  return { serviceName: service.metadata.name, roleArn: irsa.role.arn, url };
}
