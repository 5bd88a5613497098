// The ALB in front of a workload on EKS: an Ingress for the AWS Load Balancer Controller, with the
// same scheme, ranges, TLS policy and health check the ECS target's ALB gets.
import * as pulumi from "@pulumi/pulumi";
import { TLS_POLICY } from "../../aws/load-balancer.ts";
import type { WorkloadObjects } from "./eks-objects.ts";
import type { WorkloadSpec } from "./spec.ts";

/** The Ingress when the spec asks for one; its URL, "" without. */
export function albIngress(
  objects: WorkloadObjects,
  spec: WorkloadSpec,
  serviceName: pulumi.Input<string>,
): pulumi.Output<string> {
  const { k8s, opts, metadata } = objects;
  if (!spec.ingress) return pulumi.output("");
  const ingress = new k8s.networking.v1.Ingress(
    "ingress",
    {
      metadata: { ...metadata, annotations: { ...metadata.annotations, ...ingressAnnotations(spec) } },
      spec: {
        ingressClassName: "alb",
        rules: [
          {
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: serviceName, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    },
    opts,
  );
  const scheme = spec.ingress.certificateArn ? "https" : "http";
  return ingress.status.apply((status) => {
    const host = status?.loadBalancer?.ingress?.[0]?.hostname;
    return host ? `${scheme}://${host}` : "";
  });
}

/** AWS Load Balancer Controller annotations: the same ALB the ECS target gets. */
function ingressAnnotations(spec: WorkloadSpec): Record<string, string> {
  const ingress = spec.ingress;
  if (!ingress) return {};
  const https = ingress.certificateArn !== undefined;
  return {
    "alb.ingress.kubernetes.io/scheme": ingress.public ? "internet-facing" : "internal",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/healthcheck-path": spec.healthCheck.path,
    "alb.ingress.kubernetes.io/success-codes": "200-399",
    ...(ingress.allowedCidrs
      ? { "alb.ingress.kubernetes.io/inbound-cidrs": ingress.allowedCidrs.join(",") }
      : {}),
    ...(https
      ? {
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
          "alb.ingress.kubernetes.io/certificate-arn": ingress.certificateArn as string,
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/ssl-policy": TLS_POLICY,
        }
      : { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}]' }),
  };
}
