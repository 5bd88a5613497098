// kubectl on the local cluster (scripts/kube/cluster.sh), for the controller's end-to-end tests:
// its own kubectl as cluster admin, objects applied as JSON on stdin, answers parsed.
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

// kubectl caches the API server's discovery on disk for hours, shared by every process: a cache
// written before this file's CRDs were installed would hide them (`explain` does not look again).
const CACHE_DIR = join(tmpdir(), `gantry-kubectl-cache-${process.pid}`);

/** kubectl on the local cluster; stdin for `apply -f -`. Rejects with kubectl's stderr. */
export function kubectl(args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "bash",
      ["scripts/kube/cluster.sh", "kubectl", `--cache-dir=${CACHE_DIR}`, ...args],
      { maxBuffer: 1 << 24 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr}`)) : resolve(stdout),
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

export const apply = (object: unknown) => kubectl(["apply", "-f", "-"], JSON.stringify(object));

// biome-ignore lint/suspicious/noExplicitAny: whatever the API server answers
export const getJson = async (...args: string[]): Promise<any> =>
  JSON.parse(await kubectl(["get", ...args, "-o", "json"]));

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A resource's condition of a type, if it has one. */
export function conditionOf(
  cr: { status?: { conditions?: Condition[] } },
  type: string,
): Condition | undefined {
  return cr.status?.conditions?.find((c) => c.type === type);
}
