// Every kind's spec side (its definition.ts), in the order of kinds/index.ts: what the API loads.
// Adding a kind: add its definition here and its whole kind in kinds/index.ts.
import type { AnyKindSpec } from "../kind-spec.ts";
import { benchFanoutDefinition } from "./bench-fanout/definition.ts";
import { ecsServiceDefinition } from "./ecs-service/definition.ts";
import { eksClusterDefinition } from "./eks-cluster/definition.ts";
import { kubernetesClusterDefinition } from "./kubernetes-cluster/definition.ts";
import { networkDefinition } from "./network/definition.ts";
import { pgDatabaseDefinition } from "./pg-database/definition.ts";
import { rdsDatabaseDefinition } from "./rds-database/definition.ts";
import { workloadDefinition } from "./workload/definition.ts";

export const KIND_DEFINITIONS: readonly AnyKindSpec[] = [
  pgDatabaseDefinition,
  networkDefinition,
  rdsDatabaseDefinition,
  eksClusterDefinition,
  kubernetesClusterDefinition,
  ecsServiceDefinition,
  workloadDefinition,
];

/** Registered only where GANTRY_BENCH_KINDS=true (see registries.ts). */
export const BENCH_KIND_DEFINITIONS: readonly AnyKindSpec[] = [benchFanoutDefinition];
