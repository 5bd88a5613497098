// Each kind's whole module (its program, and the Pulumi packages that program uses), imported by
// name when first asked. An engine process runs one kind, so it loads that one only: loading
// every kind (@pulumi/aws, @pulumi/kubernetes, @pulumi/eks …) cost a pg-database run half a second
// of CPU more than its own module, on every run (README, Throughput). kinds/index.ts lists the same
// kinds for the registries that hold them all; test/kind-loaders.test.ts keeps the lists equal.
import type { AnyKind } from "./kind.ts";

const LOADERS: Readonly<Record<string, () => Promise<AnyKind>>> = {
  "pg-database": async () => (await import("./kinds/pg-database/index.ts")).pgDatabase,
  network: async () => (await import("./kinds/network/index.ts")).network,
  "rds-database": async () => (await import("./kinds/rds-database/index.ts")).rdsDatabase,
  "eks-cluster": async () => (await import("./kinds/eks-cluster/index.ts")).eksCluster,
  "kubernetes-cluster": async () => (await import("./kinds/kubernetes-cluster/index.ts")).kubernetesCluster,
  "ecs-service": async () => (await import("./kinds/ecs-service/index.ts")).ecsService,
  workload: async () => (await import("./kinds/workload/index.ts")).workload,
};

/** Registered only where GANTRY_BENCH_KINDS=true (see registries.ts). */
const BENCH_LOADERS: Readonly<Record<string, () => Promise<AnyKind>>> = {
  "bench-fanout": async () => (await import("./kinds/bench-fanout/index.ts")).benchFanout,
};

/** The names loadKind knows, benchmark kinds apart. */
export const LOADABLE_KINDS = { kinds: Object.keys(LOADERS), benchKinds: Object.keys(BENCH_LOADERS) };

/** The kind with its program, or undefined for a name it does not know (in this configuration). */
export async function loadKind(name: string, options: { benchKinds: boolean }): Promise<AnyKind | undefined> {
  const load = Object.hasOwn(LOADERS, name)
    ? LOADERS[name]
    : options.benchKinds && Object.hasOwn(BENCH_LOADERS, name)
      ? BENCH_LOADERS[name]
      : undefined;
  return load?.();
}
