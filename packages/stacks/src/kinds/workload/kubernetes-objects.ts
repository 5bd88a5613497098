// The objects of a workload on any Kubernetes cluster, written once for both Kubernetes targets:
// service account, Deployment (zone spread, probes, requests), Service, PodDisruptionBudget and
// HPA. eks.ts adds IRSA, RDS security groups and an ALB Ingress; kubernetes.ts a namespace of its own.
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseAccess } from "./eks-databases.ts";
import type { WorkloadObjects } from "./eks-objects.ts";
import type { WorkloadSpec } from "./spec.ts";

export interface ContainerObjects {
  deployment: import("@pulumi/kubernetes").apps.v1.Deployment;
  service: import("@pulumi/kubernetes").core.v1.Service;
}

export function containerObjects(
  objects: WorkloadObjects,
  spec: WorkloadSpec,
  access: DatabaseAccess,
  serviceAccountAnnotations: Record<string, pulumi.Input<string>> = {},
): ContainerObjects {
  const { k8s, opts, labels, metadata } = objects;
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    "service-account",
    { metadata: { ...metadata, annotations: { ...metadata.annotations, ...serviceAccountAnnotations } } },
    opts,
  );
  const environment = [
    ...Object.entries(spec.environment).map(([key, value]) => ({ name: key, value: pulumi.output(value) })),
    ...access.plain,
  ].sort((a, b) => a.name.localeCompare(b.name));

  const probe = {
    httpGet: { path: spec.healthCheck.path, port: spec.port },
    periodSeconds: spec.healthCheck.periodSeconds,
    failureThreshold: spec.healthCheck.failureThreshold,
  };
  const cpu = `${Math.round((spec.cpu / 1024) * 1000)}m`;
  const memory = `${spec.memory}Mi`;
  // The rollout is awaited (every replica available) for at most this long; then the up fails
  // with the provider's account of why (the pods' conditions), instead of hanging.
  const rollout = `${spec.rolloutTimeoutSeconds}s`;
  const deployment = new k8s.apps.v1.Deployment(
    "deployment",
    {
      metadata,
      spec: {
        // Replicas: Gantry's when there is no autoscaling (a `kubectl scale` is drift, put back by
        // remediation); the HPA's when there is, so Gantry never applies the field (ignoreChanges
        // would re-apply the old value on every up, and Server-Side Apply would take it back).
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
                env: [...environment, ...access.references],
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
    {
      ...opts,
      dependsOn: access.dependsOn,
      customTimeouts: { create: rollout, update: rollout },
    },
  );
  const service = new k8s.core.v1.Service(
    "service",
    {
      // The provider would wait 10 s for endpoints to settle; the Deployment's await already
      // waited for ready pods, which are the endpoints.
      metadata: { ...metadata, annotations: { ...metadata.annotations, "pulumi.com/skipAwait": "true" } },
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
  return { deployment, service };
}

/** `ready` of a Deployment as its last read saw it (after the rollout await: all of them). */
export function readyReplicas(deployment: ContainerObjects["deployment"]): pulumi.Output<number> {
  return deployment.status.apply((status) => status?.readyReplicas ?? 0);
}
