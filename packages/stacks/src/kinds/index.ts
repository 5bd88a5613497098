// Every kind Gantry offers. Adding a kind: write its module under kinds/, add it here.
import type { AnyKind } from "../kind.ts";
import { ecsService } from "./ecs-service/index.ts";
import { eksCluster } from "./eks-cluster/index.ts";
import { kubernetesCluster } from "./kubernetes-cluster/index.ts";
import { network } from "./network/index.ts";
import { pgDatabase } from "./pg-database/index.ts";
import { rdsDatabase } from "./rds-database/index.ts";
import { workload } from "./workload/index.ts";

export const KINDS: readonly AnyKind[] = [
  pgDatabase,
  network,
  rdsDatabase,
  eksCluster,
  kubernetesCluster,
  ecsService,
  workload,
];
