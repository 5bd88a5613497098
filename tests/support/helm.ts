// The helm CLI for the chart's tests, built from Go modules once per machine
// (scripts/kube/build-helm.sh; cached in $GANTRY_CACHE/helm, so later calls answer at once).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const BUILD = fileURLToPath(new URL("../../scripts/kube/build-helm.sh", import.meta.url));
const run = promisify(execFile);

/** A cold build takes many minutes on a busy machine: the hook that calls this allows for it. */
export const HELM_BUILD_TIMEOUT_MS = 60 * 60_000;

export async function helmBinary(): Promise<string> {
  const { stdout } = await run("bash", [BUILD], { maxBuffer: 1 << 20 });
  const dir = stdout.trim().split("\n").at(-1);
  if (!dir) throw new Error("scripts/kube/build-helm.sh printed no directory");
  return `${dir}/helm`;
}

/** Runs helm; resolves with its output, or rejects with its stderr in the message. */
export async function helm(binary: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(binary, args, { maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`helm ${args[0]} failed: ${e.stderr || e.stdout || e.message}`);
  }
}
