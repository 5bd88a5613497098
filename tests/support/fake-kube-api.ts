// A stand-in Kubernetes API server over HTTPS on loopback, for the parts of attaching a cluster
// that are plain HTTP: /version, SelfSubjectAccessReview, the node list. It admits one bearer
// token and can deny chosen permissions. The real cluster (scripts/kube) is for what the
// Kubernetes provider does; this one lets kubernetes-cluster be tested where it is not built.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeKubeApi {
  url: string;
  /** A kubeconfig (YAML) with the server's CA and the token embedded. */
  kubeconfig: string;
  token: string;
  /** Permissions refused from now on, as "verb group/resource" ("create apps/deployments"). */
  deny: Set<string>;
  close(): Promise<void>;
}

export async function startFakeKubeApi(token: string): Promise<FakeKubeApi> {
  const dir = mkdtempSync(join(tmpdir(), "fake-kube-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  const cert = readFileSync(join(dir, "cert.pem"), "utf8");
  const key = readFileSync(join(dir, "key.pem"), "utf8");
  rmSync(dir, { recursive: true, force: true });
  const deny = new Set<string>();

  const server: Server = createServer({ cert, key }, (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { kind: "Status", code: 401 });
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/version") return send(200, { gitVersion: "v1.36.3" });
      if (req.method === "GET" && req.url === "/api/v1/nodes")
        return send(200, {
          items: ["zone-a", "zone-b", "zone-c"].map((zone, i) => ({
            metadata: { name: `node-${i}`, labels: { "topology.kubernetes.io/zone": zone } },
          })),
        });
      if (req.method === "POST" && req.url === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
        const review = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const { verb, group, resource } = review.spec.resourceAttributes;
        const allowed = !deny.has(`${verb} ${group ? `${group}/` : ""}${resource}`);
        return send(201, { ...review, status: { allowed } });
      }
      send(404, { kind: "Status", code: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: fake",
    "  cluster:",
    `    server: ${url}`,
    `    certificate-authority-data: ${Buffer.from(cert).toString("base64")}`,
    "users:",
    "- name: fake-admin",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: fake",
    "  context: {cluster: fake, user: fake-admin}",
    "current-context: fake",
    "",
  ].join("\n");
  return {
    url,
    kubeconfig,
    token,
    deny,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
