// What attaching a cluster checks, straight against its API server with the kubeconfig's own
// credential: that it answers (its version), that the credential may do what a workload's run
// does (SelfSubjectAccessReview, one per verb and resource), and its nodes and their zones.
import { request } from "node:https";
import type { ClusterAccess } from "./kubeconfig.ts";

export interface ClusterFacts {
  endpoint: string;
  kubernetesVersion: string;
  nodeCount: number;
  zones: string[];
}

/** What a workload with target kubernetes creates, changes and deletes (kinds/workload/kubernetes.ts). */
export const WORKLOAD_NEEDS: readonly { group: string; resource: string }[] = [
  { group: "", resource: "namespaces" },
  { group: "", resource: "serviceaccounts" },
  { group: "", resource: "services" },
  { group: "", resource: "secrets" },
  { group: "apps", resource: "deployments" },
  { group: "policy", resource: "poddisruptionbudgets" },
  { group: "autoscaling", resource: "horizontalpodautoscalers" },
];
const VERBS = ["get", "create", "patch", "delete"] as const;
const ZONE_LABEL = "topology.kubernetes.io/zone";

export class ClusterCheckError extends Error {}

interface Answer {
  status: number;
  body: unknown;
}

function call(access: ClusterAccess, method: string, path: string, timeoutMs: number, body?: unknown) {
  const url = new URL(path, `${access.server}/`);
  const credential = access.credential;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        timeout: timeoutMs,
        ca: access.ca,
        rejectUnauthorized: !access.insecureSkipTlsVerify,
        ...(credential.type === "certificate" ? { cert: credential.cert, key: credential.key } : {}),
        headers: {
          accept: "application/json",
          ...(payload ? { "content-type": "application/json" } : {}),
          ...(credential.type === "token" ? { authorization: `Bearer ${credential.token}` } : {}),
          ...(credential.type === "basic"
            ? {
                authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`,
              }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text for the status check
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Checks the cluster and the credential; throws ClusterCheckError with a sentence saying what is wrong. */
export async function inspectCluster(access: ClusterAccess, timeoutMs = 15_000): Promise<ClusterFacts> {
  const where = `the API server ${access.server} (context "${access.context}")`;
  let version: Answer;
  try {
    version = await call(access, "GET", "/version", timeoutMs);
  } catch (err) {
    throw new ClusterCheckError(`${where} does not answer: ${(err as Error).message}`);
  }
  if (version.status === 401)
    throw new ClusterCheckError(`${where} refuses the kubeconfig's credential (401 Unauthorized)`);
  const gitVersion = (version.body as { gitVersion?: unknown })?.gitVersion;
  if (version.status !== 200 || typeof gitVersion !== "string")
    throw new ClusterCheckError(
      `${where} answered /version with HTTP ${version.status}, not a Kubernetes version`,
    );

  const needs = [
    ...WORKLOAD_NEEDS.flatMap((need) => VERBS.map((verb) => ({ ...need, verb }))),
    { group: "", resource: "nodes", verb: "list" },
  ];
  const denied: string[] = [];
  await Promise.all(
    needs.map(async ({ group, resource, verb }) => {
      const review = await call(
        access,
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        timeoutMs,
        {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: { resourceAttributes: { group, resource, verb } },
        },
      );
      const allowed = (review.body as { status?: { allowed?: unknown } })?.status?.allowed === true;
      if (review.status !== 201 && review.status !== 200)
        throw new ClusterCheckError(
          `${where} answered a SelfSubjectAccessReview with HTTP ${review.status}; the credential may not even ask what it may do`,
        );
      if (!allowed) denied.push(`${verb} ${group ? `${group}/` : ""}${resource}`);
    }),
  );
  if (denied.length > 0)
    throw new ClusterCheckError(
      `the kubeconfig's credential may not ${denied.sort().join(", ")} in every namespace; a workload on this ` +
        "cluster needs them (bind it to cluster-admin, or to a ClusterRole granting these)",
    );

  const nodes = await call(access, "GET", "/api/v1/nodes", timeoutMs);
  if (nodes.status !== 200)
    throw new ClusterCheckError(`${where} answered listing nodes with HTTP ${nodes.status}`);
  const items = (nodes.body as { items?: { metadata?: { labels?: Record<string, string> } }[] }).items ?? [];
  const zones = [...new Set(items.flatMap((n) => n.metadata?.labels?.[ZONE_LABEL] ?? []))].sort();
  return { endpoint: access.server, kubernetesVersion: gitVersion, nodeCount: items.length, zones };
}
