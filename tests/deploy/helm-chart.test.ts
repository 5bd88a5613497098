// The Helm chart (deploy/helm/gantry) with the real helm CLI: it lints, refuses to render without
// the Secret it needs, renders what the README promises (probes, resources, disruption budgets,
// secrets only by reference, metrics ports), and the local Kubernetes' API server accepts every
// rendered object (server-side dry run: admission and schema validation, nothing stored).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { HELM_BUILD_TIMEOUT_MS, helm, helmBinary } from "../support/helm.ts";
import { kubectl } from "../support/kube.ts";

const CHART = fileURLToPath(new URL("../../deploy/helm/gantry", import.meta.url));
const SECRET = ["--set", "existingSecret=gantry-credentials"];

let bin: string;
let dir: string;
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read as plain data
let objects: any[];

beforeAll(async () => {
  bin = await helmBinary();
  dir = await mkdtemp(join(tmpdir(), "gantry-helm-"));
  const rendered = await helm(bin, ["template", "gantry", CHART, ...SECRET, "--namespace", "default"]);
  await writeFile(join(dir, "rendered.yaml"), rendered);
  objects = parseAllDocuments(rendered)
    .map((doc) => doc.toJS())
    .filter(Boolean);
}, HELM_BUILD_TIMEOUT_MS);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const find = (kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) ??
  expect.fail(`no ${kind} ${name} rendered`);

describe("the Helm chart", () => {
  it("passes helm lint --strict", async () => {
    const out = await helm(bin, ["lint", "--strict", CHART, ...SECRET]);
    expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("refuses to render without the Secret, saying which value is missing", async () => {
    await expect(helm(bin, ["template", "gantry", CHART])).rejects.toThrow(/existingSecret is required/);
  });

  it("renders the API and the worker with probes, resources, non-root pods and disruption budgets", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "Deployment/gantry-api",
      "Deployment/gantry-worker",
      "PodDisruptionBudget/gantry-api",
      "PodDisruptionBudget/gantry-worker",
      "Service/gantry-api",
      "Service/gantry-api-metrics",
      "Service/gantry-worker-metrics",
      "ServiceAccount/gantry",
    ]);
    const api = find("Deployment", "gantry-api").spec.template.spec;
    const [apiContainer] = api.containers;
    expect(apiContainer.readinessProbe.httpGet.path).toBe("/readyz");
    expect(apiContainer.livenessProbe.httpGet.path).toBe("/healthz");
    expect(apiContainer.resources.requests).toEqual({ cpu: "250m", memory: "256Mi" });
    expect(api.securityContext.runAsNonRoot).toBe(true);
    const worker = find("Deployment", "gantry-worker").spec.template.spec;
    expect(worker.containers[0].livenessProbe.httpGet).toEqual({ path: "/metrics", port: "metrics" });
    expect(worker.terminationGracePeriodSeconds).toBe(360);
    expect(find("PodDisruptionBudget", "gantry-api").spec.minAvailable).toBe(1);
    expect(find("PodDisruptionBudget", "gantry-worker").spec.maxUnavailable).toBe(1);
  });

  it("takes every credential from the Secret by reference, never as a value", () => {
    for (const name of ["gantry-api", "gantry-worker"]) {
      const env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[] = find(
        "Deployment",
        name,
      ).spec.template.spec.containers[0].env;
      for (const secret of [
        "DATABASE_URL",
        "REDIS_URL",
        "PULUMI_CONFIG_PASSPHRASE",
        "GANTRY_SECRET_INPUT_KEY",
        "GANTRY_PG_SERVER_URL",
        "GANTRY_STATE_BACKEND_URL",
      ]) {
        const entry = env.find((e) => e.name === secret);
        expect(entry?.value, secret).toBeUndefined();
        expect(entry?.valueFrom?.secretKeyRef?.name, secret).toBe("gantry-credentials");
      }
    }
  });

  it("serves metrics on ports of their own, annotated for scraping, off the API's Service", () => {
    const apiPod = find("Deployment", "gantry-api").spec.template;
    expect(apiPod.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9464",
    });
    const apiEnv = apiPod.spec.containers[0].env;
    expect(apiEnv).toContainEqual({ name: "API_METRICS_PORT", value: "9464" });
    expect(find("Service", "gantry-api").spec.ports.map((p: { name: string }) => p.name)).toEqual(["http"]);
    expect(find("Service", "gantry-worker-metrics").spec.ports[0].port).toBe(9465);
  });

  it("renders objects the local Kubernetes' API server accepts (server-side dry run)", async () => {
    const out = await kubectl([
      "apply",
      "--dry-run=server",
      "-n",
      "default",
      "-f",
      join(dir, "rendered.yaml"),
    ]);
    for (const o of objects) expect(out).toContain(`${o.metadata.name} created (server dry run)`);
  });

  it("renders webhooks with their signing key by reference, and changed values where asked", async () => {
    const rendered = await helm(bin, [
      "template",
      "gantry",
      CHART,
      ...SECRET,
      "--set",
      "webhooks.urls=https://hooks.example.com/gantry,worker.replicas=4,api.pdb.enabled=false",
    ]);
    const docs = parseAllDocuments(rendered).map((d) => d.toJS());
    const worker = docs.find((o) => o?.metadata?.name === "gantry-worker" && o.kind === "Deployment");
    expect(worker.spec.replicas).toBe(4);
    const env = worker.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: "GANTRY_WEBHOOK_URLS", value: "https://hooks.example.com/gantry" });
    expect(
      env.find((e: { name: string }) => e.name === "GANTRY_WEBHOOK_SECRET").valueFrom.secretKeyRef.key,
    ).toBe("GANTRY_WEBHOOK_SECRET");
    expect(docs.some((o) => o?.kind === "PodDisruptionBudget" && o.metadata.name === "gantry-api")).toBe(
      false,
    );
  });
});
