// The local test Kubernetes (scripts/kube/cluster.sh): started by `npm test` (or by the global
// setup when vitest runs directly), its admin kubeconfig handed to tests as GANTRY_TEST_KUBECONFIG.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const CLUSTER = fileURLToPath(new URL("../../scripts/kube/cluster.sh", import.meta.url));
const run = promisify(execFile);

/** Starts the cluster unless it runs (building it the first time); returns its kubeconfig's path. */
export async function startTestCluster(): Promise<string> {
  const { stdout } = await run("bash", [CLUSTER, "start"], { maxBuffer: 1 << 20 });
  const kubeconfig = stdout.trim().split("\n").at(-1);
  if (!kubeconfig) throw new Error("scripts/kube/cluster.sh start printed no kubeconfig");
  return kubeconfig;
}

export function testKubeconfig(): string {
  const path = process.env.GANTRY_TEST_KUBECONFIG;
  if (!path) throw new Error("GANTRY_TEST_KUBECONFIG is unset: run the tests with `npm test`");
  return path;
}

/** The cluster's own kubectl, as admin; returns stdout. */
export async function kubectl(args: string[]): Promise<string> {
  const { stdout } = await run("bash", [CLUSTER, "kubectl", ...args], { maxBuffer: 16 << 20 });
  return stdout;
}
